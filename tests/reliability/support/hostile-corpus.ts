/**
 * Malformed and malicious uploads, each with the 4xx the API must answer. Bodies are built on demand (the
 * 10 MB ones would otherwise sit in memory for the whole run).
 */
export interface HostileCase {
  readonly name: string
  readonly method: 'POST' | 'PUT' | 'GET'
  readonly path: string
  /** The Content-Type header; omitted when undefined. */
  readonly contentType: string | undefined
  readonly body: () => string | Uint8Array | undefined
  readonly status: 400 | 404 | 413 | 415
  /** A path one of the problem's `errors` must name (a prefix is enough). */
  readonly field?: string
  /** Also sent over a real socket (the slice the HTTP test replays). */
  readonly http?: boolean
}

const JSON_TYPE = 'application/json'
const MD_TYPE = 'text/markdown; charset=utf-8'
const MiB = 1024 * 1024

const validFields = {
  title: '测试文章',
  date: '2024-01-02 10:00:00 +0800',
  categories: ['markets'],
  tags: ['测试'],
  body: '<p>正文内容。</p>',
}

/** A JSON upload: the valid fields with some replaced (undefined removes one). */
const fields = (overrides: Record<string, unknown>) => () =>
  JSON.stringify(
    Object.fromEntries(Object.entries({ ...validFields, ...overrides }).filter(([, value]) => value !== undefined)),
  )

/** A JSON upload written by hand after the valid fields: for what JSON.stringify cannot say. */
const rawJson = (extra: string) => () => `${JSON.stringify(validFields).slice(0, -1)},${extra}}`

/** A Jekyll post with the given front matter after a valid title, date and category. */
const post =
  (front: string, body = '<p>正文内容。</p>') =>
  () =>
    `---\ntitle: 测试文章\ndate: 2024-01-02 10:00:00 +0800\ncategories: markets\n${front}\n---\n${body}\n`

const bytes =
  (...parts: (string | number[])[]) =>
  () =>
    new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))))

const upload = (
  name: string,
  contentType: string | undefined,
  body: () => string | Uint8Array | undefined,
  status: HostileCase['status'],
  more: Partial<HostileCase> = {},
): HostileCase => ({ name, method: 'POST', path: '/api/articles', contentType, body, status, ...more })

const json = (name: string, body: () => string, field: string, more: Partial<HostileCase> = {}) =>
  upload(name, JSON_TYPE, body, 400, { field, ...more })

const yaml = (name: string, body: () => string, field: string, more: Partial<HostileCase> = {}) =>
  upload(name, MD_TYPE, body, 400, { field, ...more })

const nested = (open: string, close: string, depth: number) => open.repeat(depth) + close.repeat(depth)

/** Every hostile case: at least 60, grouped by what they attack. */
export const HOSTILE_CORPUS: readonly HostileCase[] = [
  // YAML bombs, anchors and tags
  yaml(
    'YAML billion laughs (aliases reused at every level)',
    post(
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ),
    'frontMatter',
    { http: true },
  ),
  yaml('YAML alias that refers to itself', post('loop: &x [*x]'), 'frontMatter'),
  yaml('YAML mapping anchor reused twice', post('a: &m {k: v}\nb: *m\nc: *m'), 'frontMatter'),
  yaml('YAML 5,000 levels of flow nesting', post(`deep: ${nested('[', ']', 5000)}`), 'frontMatter', { http: true }),
  yaml(
    'YAML 300 levels of block nesting',
    post(Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + `\n${'  '.repeat(300)}leaf: 1`),
    'frontMatter',
  ),
  yaml('YAML 20,000 keys', post(Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n')), 'frontMatter'),
  yaml('YAML !!js/function tag', post('x: !!js/function "function () { return 1 }"'), 'frontMatter'),
  yaml('YAML !!binary tag', post('x: !!binary aGVsbG8='), 'frontMatter'),
  yaml('YAML !!set tag', post('x: !!set {a, b}'), 'frontMatter'),
  yaml('YAML !!timestamp tag', post('x: !!timestamp 2001-12-14t21:59:43.10-05:00'), 'frontMatter'),
  yaml(
    'YAML %YAML directive inside the front matter',
    () => '---\n%YAML 1.1\n---\ntitle: a\n---\nbody\n',
    'frontMatter',
  ),
  yaml('YAML duplicate key', post('title: 另一个标题'), 'frontMatter'),
  yaml('YAML __proto__ key', post('__proto__: {polluted: 1}'), '__proto__', { http: true }),
  yaml('YAML nested constructor.prototype', post('meta: {constructor: {prototype: {polluted: 1}}}'), 'meta'),
  yaml(
    'YAML front matter never closed',
    () => '---\ntitle: a\ndate: 2024-01-02\ncategories: markets\nbody',
    'frontMatter',
  ),
  yaml('YAML front matter missing', () => 'just a body, no front matter', 'frontMatter'),
  yaml('YAML front matter is a list', () => '---\n- a\n- b\n---\nbody\n', 'frontMatter'),
  yaml('YAML front matter is a scalar', () => '---\njust text\n---\nbody\n', 'frontMatter'),
  yaml('YAML title is a mapping', () => '---\ntitle: {a: 1}\ndate: 2024-01-02\ncategories: markets\n---\nb\n', 'title'),
  yaml('YAML date is a number', () => '---\ntitle: a\ndate: 20240102\ncategories: markets\n---\nb\n', 'date'),
  yaml('YAML .nan in an extra key', post('score: .nan'), 'score'),
  yaml('YAML -.inf in an extra key', post('score: -.inf'), 'score'),
  yaml('YAML hex integer beyond 2^53', post(`big: 0x${'F'.repeat(40)}`), 'big'),
  yaml('YAML empty key', post('"": 1'), ''),
  yaml(
    'YAML CR LF header injection in the title',
    () => '---\ntitle: "a\\r\\nSet-Cookie: session=evil"\ndate: 2024-01-02\ncategories: markets\n---\nb\n',
    'title',
    { http: true },
  ),
  yaml('YAML LF in a tag', post('tags: ["ok", "evil\\nX-Injected: 1"]'), 'tags'),
  yaml(
    'YAML path-like category',
    () => '---\ntitle: a\ndate: 2024-01-02\ncategories: ../../etc/passwd\n---\nb\n',
    'categories',
  ),

  // Encodings and raw bytes
  upload('invalid UTF-8: a lone 0xFF byte', MD_TYPE, bytes(post('')(), [0xff]), 400, { field: 'body', http: true }),
  upload('invalid UTF-8: overlong slash (C0 AF)', MD_TYPE, bytes(post('')(), [0xc0, 0xaf]), 400, { field: 'body' }),
  upload('invalid UTF-8: encoded surrogate (ED A0 80)', JSON_TYPE, bytes('{"title":"', [0xed, 0xa0, 0x80], '"}'), 400, {
    field: 'body',
  }),
  upload('invalid UTF-8: truncated 3-byte sequence at the end', MD_TYPE, bytes(post('')(), [0xe6, 0xb5]), 400, {
    field: 'body',
  }),
  upload('invalid UTF-8: stray continuation bytes', JSON_TYPE, bytes('{"title":"', [0x80, 0x81, 0xbf], '"}'), 400, {
    field: 'body',
  }),
  upload(
    'UTF-16LE with its BOM',
    JSON_TYPE,
    () => new Uint8Array(Buffer.from(`\ufeff${fields({})()}`, 'utf16le')),
    400,
    {
      field: 'body',
    },
  ),
  upload('two UTF-8 BOMs before the JSON', JSON_TYPE, () => `\ufeff\ufeff${fields({})()}`, 400, { field: 'body' }),
  upload('a BOM inside the front matter', MD_TYPE, () => `---\n\ufefftitle: a\n---\nb`, 400, { field: 'date' }),
  upload('raw NUL byte in the Markdown body', MD_TYPE, bytes(post('')(), [0x00], 'after'), 400, {
    field: 'body',
    http: true,
  }),
  json('escaped NUL in the title', fields({ title: 'a\u0000b' }), 'title'),
  json('escaped NUL in a nested extra value', fields({ meta: { deep: ['x\u0000'] } }), 'meta'),
  json('escaped NUL in a key', rawJson('"a\\u0000b":1'), 'a'),
  json('a control character in a key', rawJson('"a\\u0001b":1'), 'a'),
  json('lone high surrogate in the body', rawJson('"x":"\\ud800"'), 'x'),
  json('lone low surrogate in a tag', fields({ tags: ['\udc00'] }), 'tags'),

  // Header injection and one-line fields
  json('CR LF in the title', fields({ title: '标题\r\nSet-Cookie: session=evil' }), 'title', { http: true }),
  json('bare LF in the title', fields({ title: 'one\ntwo' }), 'title'),
  json('U+2028 line separator in the title', fields({ title: 'one\u2028two' }), 'title'),
  json('CR LF in a tag', fields({ tags: ['ok', 'evil\r\nX-Injected: 1'] }), 'tags'),
  json('CR LF in a category', fields({ categories: ['markets\r\nX-Injected: 1'] }), 'categories'),
  json('CR LF after the infoCode', fields({ infoCode: 'NW202204162345423378\r\nX: 1' }), 'infoCode'),

  // Path-like and malformed slugs and codes
  json('category ../../etc/passwd', fields({ categories: ['../../etc/passwd'] }), 'categories'),
  json('category with a slash', fields({ categories: ['a/b'] }), 'categories'),
  json('category percent-encoded dots', fields({ categories: ['%2e%2e'] }), 'categories'),
  json('category with a percent escape', fields({ categories: ['%2e%2e'] }), 'categories'),
  json('category of dots only', fields({ categories: ['..'] }), 'categories'),
  json('category 101 characters long', fields({ categories: ['a'.repeat(101)] }), 'categories'),
  json('infoCode with path segments', fields({ infoCode: '../NW202204162345423378' }), 'infoCode'),
  {
    name: 'PUT to an infoCode with encoded path traversal',
    method: 'PUT',
    path: '/api/articles/..%2F..%2Fetc%2Fpasswd',
    contentType: JSON_TYPE,
    body: fields({}),
    status: 400,
    field: 'infoCode',
    http: true,
  },
  {
    name: 'PUT to an infoCode with an encoded NUL',
    method: 'PUT',
    path: '/api/articles/NW20220416234542337%00',
    contentType: JSON_TYPE,
    body: fields({}),
    status: 400,
    field: 'infoCode',
  },
  {
    name: 'PUT a category with a path-like slug',
    method: 'PUT',
    path: '/api/categories/..%2F..%2Findex',
    contentType: JSON_TYPE,
    body: () => '{"title":"x"}',
    status: 400,
    field: 'slug',
  },
  {
    name: 'PUT a category with a duplicated title key',
    method: 'PUT',
    path: '/api/categories/markets',
    contentType: JSON_TYPE,
    body: () => '{"title":"第一","title":"第二"}',
    status: 400,
    field: 'title',
  },
  {
    name: 'PUT whose body names another infoCode',
    method: 'PUT',
    path: '/api/articles/NW202204162345423378',
    contentType: JSON_TYPE,
    body: fields({ infoCode: 'NW202204162345423379' }),
    status: 400,
    field: 'infoCode',
  },

  // Oversized arrays and values
  json('11 categories', fields({ categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }), 'categories'),
  json(
    '100,000 distinct categories',
    fields({ categories: Array.from({ length: 100_000 }, (_, i) => `c${i}`) }),
    'body',
  ),
  json('21 tags', fields({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), 'tags'),
  json('a tag of 101 characters', fields({ tags: ['字'.repeat(101)] }), 'tags'),
  json('a title of 301 characters', fields({ title: '字'.repeat(301) }), 'title'),
  json('an extra array of 20,000 values', fields({ list: Array.from({ length: 20_000 }, (_, i) => i) }), 'body'),
  json('a key of 70,000 characters', rawJson(`"${'k'.repeat(70_000)}":1`), 'k'),
  upload('an extra value too large for one stored item', JSON_TYPE, fields({ blob: 'x'.repeat(500_000) }), 413),

  // Deep nesting
  json('JSON 100,000 nested arrays', rawJson(`"deep":${nested('[', ']', 100_000)}`), 'deep', { http: true }),
  json('JSON 10,000 nested objects', rawJson(`"deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`), 'deep'),
  json(
    'JSON extra nested 9 levels',
    fields({ meta: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } }),
    'meta',
  ),

  // Prototype pollution
  json('__proto__ at the top', rawJson('"__proto__":{"polluted":true}'), '__proto__', { http: true }),
  json('constructor.prototype at the top', rawJson('"constructor":{"prototype":{"polluted":true}}'), 'constructor'),
  json('prototype key', rawJson('"prototype":{"polluted":true}'), 'prototype'),
  json('__proto__ nested in an array of objects', rawJson('"list":[{"ok":1},{"__proto__":{"polluted":true}}]'), 'list'),
  json('__proto__ as an escaped key', rawJson('"\\u005f_proto__":{"polluted":true}'), '__proto__'),

  // Duplicated keys
  json('duplicated title', () => `{"title":"甲","title":"乙",${fields({ title: undefined })().slice(1)}`, 'title', {
    http: true,
  }),
  json(
    'duplicated key spelled with an escape',
    () => `{"title":"甲","\\u0074itle":"乙",${fields({ title: undefined })().slice(1)}`,
    'title',
  ),
  json('duplicated key inside an extra object', rawJson('"meta":{"a":1,"b":2,"a":3}'), 'meta.a'),
  json('duplicated key in an object inside an array', rawJson('"list":[{},{"k":1,"k":1}]'), 'list[1].k'),
  json('duplicated categories key', rawJson('"categories":["other"]'), 'categories'),

  // Numbers where strings belong, and numbers DynamoDB cannot store
  json('title is a number', fields({ title: 2024 }), 'title'),
  json('body is a number', fields({ body: 1 }), 'body'),
  json('date is a number', fields({ date: 20240102 }), 'date'),
  json('categories is a number', fields({ categories: 5 }), 'categories'),
  json('tags is an object', fields({ tags: { a: 1 } }), 'tags'),
  json('infoCode is a number', rawJson('"infoCode":202204162345423378'), 'infoCode'),
  json('title is an array', fields({ title: ['a'] }), 'title'),
  json('title is null', fields({ title: null }), 'title'),
  json('1e400 (Infinity) in an extra key', rawJson('"score":1e400'), 'score', { http: true }),
  json('-1e400 in an extra key', rawJson('"score":-1e400'), 'score'),
  json('an integer of 45 digits', rawJson(`"id":${'9'.repeat(45)}`), 'id'),
  json('1e-300, below what DynamoDB stores', rawJson('"tiny":1e-300'), 'tiny'),
  json('an empty key', rawJson('"":1'), ''),
  json('an empty key nested', rawJson('"meta":{"":1}'), 'meta'),

  // Bad dates
  json('an impossible date', fields({ date: '2022-02-30' }), 'date'),
  json('month 13', fields({ date: '2024-13-01' }), 'date'),
  json('offset +25:00', fields({ date: '2024-01-02T10:00:00+25:00' }), 'date'),
  json('year 0001 (read as 1901 before)', fields({ date: '0001-01-01' }), 'date'),
  json('an expanded year', fields({ date: '+275760-09-13T00:00:00Z' }), 'date'),
  json('a date of 10,000 characters', fields({ date: '2'.repeat(10_000) }), 'date'),

  // Missing or empty
  json('no title', fields({ title: undefined }), 'title'),
  json('a title of spaces', fields({ title: ' \u3000\t ' }), 'title'),
  json('an empty body field', fields({ body: ' \n ' }), 'body'),
  json('no categories', fields({ categories: [] }), 'categories'),
  upload('an empty JSON body', JSON_TYPE, () => '', 400, { field: 'body', http: true }),
  upload('an empty Markdown body', MD_TYPE, () => '', 400, { field: 'frontMatter' }),
  upload('no body at all', JSON_TYPE, () => undefined, 400, { field: 'body' }),
  upload('white space only', JSON_TYPE, () => ' \r\n\t ', 400, { field: 'body' }),

  // Not JSON, or not an object
  json('JSON array at the top', () => `[${fields({})()}]`, 'body'),
  json('JSON string at the top', () => '"title"', 'body'),
  json('JSON null', () => 'null', 'body'),
  json('JSON with a trailing comma', () => `${fields({})().slice(0, -1)},}`, 'body'),
  json('JSON with single quotes', () => "{'title':'a'}", 'body'),
  json('JSON with NaN', rawJson('"x":NaN'), 'body'),
  json('JSON with a comment', () => `/* hi */${fields({})()}`, 'body'),
  json('JSON cut in the middle', () => fields({})().slice(0, 30), 'body'),
  json('two JSON documents', () => `${fields({})()}${fields({})()}`, 'body'),

  // Sizes
  upload('1 MiB + 1 byte', MD_TYPE, post('', 'x'.repeat(MiB)), 413, { http: true }),
  upload('10 MB body', JSON_TYPE, () => `{"title":"${'x'.repeat(10 * MiB)}"}`, 413, { http: true }),
  upload(
    'one overlong line of 1,048,000 characters in the front matter',
    MD_TYPE,
    post(`x: ${'y'.repeat(1_048_000)}`),
    413,
  ),

  // Content types
  upload('no Content-Type', undefined, fields({}), 415, { http: true }),
  upload('text/plain', 'text/plain', fields({}), 415),
  upload('form-urlencoded', 'application/x-www-form-urlencoded', () => 'title=a&date=2024-01-02', 415),
  upload('multipart/form-data', 'multipart/form-data; boundary=x', () => '--x\r\n\r\nbody\r\n--x--', 415),
  upload('text/html', 'text/html', () => '<script>alert(1)</script>', 415),
  upload(
    'application/xml',
    'application/xml',
    () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    415,
  ),
  upload('two media types in one header', 'application/json, text/markdown', fields({}), 415),
  upload('JSON declared as ISO-8859-1', 'application/json; charset=iso-8859-1', fields({}), 415, { http: true }),
  upload('Markdown declared as UTF-16', 'text/markdown; charset=utf-16', post(''), 415),

  // Other routes
  {
    name: 'list with a path-like category',
    method: 'GET',
    path: '/api/articles?category=..%2F..%2Fetc',
    contentType: undefined,
    body: () => undefined,
    status: 400,
    field: 'category',
  },
  {
    name: 'list with a limit of 10^9',
    method: 'GET',
    path: '/api/articles?limit=1000000000',
    contentType: undefined,
    body: () => undefined,
    status: 400,
    field: 'limit',
  },
  {
    name: 'list with a forged cursor',
    method: 'GET',
    path: `/api/articles?cursor=${Buffer.from('{"pk":{"S":"ART#x"}}').toString('base64url')}`,
    contentType: undefined,
    body: () => undefined,
    status: 400,
    field: 'cursor',
  },
]
