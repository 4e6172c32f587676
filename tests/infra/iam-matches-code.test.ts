// Each function's real handler.ts, started as Lambda starts it (the environment the synthesized template gives
// it, a top-level await for SSM), is driven through its flows while every AWS request it sends is recorded on
// the wire: DynamoDB and S3 through recording proxies in front of DynamoDB Local and s3rver, Secrets Manager and
// SSM by a local endpoint that speaks their JSON protocol. Each request becomes an IAM action on a resource ARN,
// which must be allowed by the role's synthesized policies; and each granted action must be used. Recording on
// the wire, not on SDK objects, holds whatever SDK the bundle carries (bundled or the runtime's).
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { Template } from 'aws-cdk-lib/assertions'
import type { APIGatewayProxyResultV2, Context, DynamoDBStreamEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_INFO_CODE, FIXTURE_POST } from '../support/fixture.ts'
import { articleInserted, httpApiEvent, lambdaContext } from '../support/lambda-events.ts'
import { listenOnLoopback } from '../support/loopback.ts'
import { TEST_KEY, testStack } from '../support/stack.ts'
import { buildStack, logicalId } from './synth.ts'

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const ORIGIN_VALUE = 'origin-secret-0123456789abcdefghijklmnop'
const DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net'

/** One request a function sent, as IAM sees it. */
interface Call {
  readonly action: string
  readonly resource: string
}

// Granted to the event source mapping (Lambda reads the stream), not sent by the function's code.
const STREAM_READ = new Set([
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
])
const SERVICES = ['dynamodb:', 's3:', 'secretsmanager:', 'ssm:']

// --- what each wire request means to IAM -------------------------------------------------------------------

const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
}

function dynamoCalls(target: string, body: string): Call[] {
  const operation = target.split('.')[1] ?? target
  const input = JSON.parse(body || '{}') as {
    TableName?: string
    RequestItems?: Record<string, unknown>
    TransactItems?: Record<string, { TableName: string }>[]
  }
  const table = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`
  if (input.TransactItems) {
    return input.TransactItems.flatMap((item) =>
      Object.entries(item).map(([kind, part]) => ({
        action: `dynamodb:${TRANSACT_ACTIONS[kind] ?? kind}`,
        resource: table(part.TableName),
      })),
    )
  }
  if (input.RequestItems) {
    return Object.keys(input.RequestItems).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }))
  }
  return [{ action: `dynamodb:${operation}`, resource: table(input.TableName ?? '?') }]
}

function s3Calls(method: string, url: string): Call[] {
  const { pathname, searchParams } = new URL(url, 'http://s3')
  const [bucket = '', ...rest] = pathname.slice(1).split('/')
  const key = decodeURIComponent(rest.join('/'))
  if (!key)
    return [{ action: method === 'GET' ? 's3:ListBucket' : `s3:${method}Bucket`, resource: `arn:aws:s3:::${bucket}` }]
  const action =
    method === 'PUT'
      ? 's3:PutObject'
      : method === 'DELETE'
        ? 's3:DeleteObject'
        : searchParams.size > 0 && !searchParams.has('x-id')
          ? `s3:GetObject?${[...searchParams.keys()].join('&')}`
          : 's3:GetObject'
  return [{ action, resource: `arn:aws:s3:::${bucket}/${key}` }]
}

// --- the recording servers ---------------------------------------------------------------------------------

interface Recorder {
  readonly url: string
  readonly calls: Call[]
  close(): Promise<void>
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

async function listen(server: Server, calls: Call[]): Promise<Recorder> {
  return {
    url: (await listenOnLoopback(server)).url,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Forwards every request unchanged (signature included) to `target` and records what it asked for. */
async function recordingProxy(target: string, describe: (req: IncomingMessage, body: Buffer) => Call[]) {
  const calls: Call[] = []
  const upstream = new URL(target)
  const server = createServer(async (req, res) => {
    const payload = await body(req)
    calls.push(...describe(req, payload))
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    forward.on('error', () => res.destroy())
    forward.end(payload)
  })
  server.keepAliveTimeout = 1
  return listen(server, calls)
}

/** Secrets Manager GetSecretValue and SSM GetParameter (JSON 1.1 protocol): there is no local server for them. */
async function secretsAndParameters(secrets: Record<string, string>, parameters: Record<string, string>) {
  const calls: Call[] = []
  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const input = JSON.parse((await body(req)).toString('utf8') || '{}') as { SecretId?: string; Name?: string }
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(JSON.stringify(payload))
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const id = input.SecretId ?? ''
      calls.push({ action: 'secretsmanager:GetSecretValue', resource: id })
      const value = secrets[id]
      if (value === undefined) return reply(400, { __type: 'ResourceNotFoundException', message: id })
      return reply(200, { ARN: id, Name: id.split(':').pop(), SecretString: value, VersionId: 'v1' })
    }
    if (target === 'AmazonSSM.GetParameter') {
      const name = input.Name ?? ''
      calls.push({
        action: 'ssm:GetParameter',
        resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`,
      })
      const value = parameters[name]
      if (value === undefined) return reply(400, { __type: 'ParameterNotFound', message: name })
      return reply(200, { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } })
    }
    calls.push({ action: `unknown:${target}`, resource: '*' })
    return reply(400, { __type: 'UnknownOperationException', message: target })
  })
  return listen(server, calls)
}

// --- the template, resolved for this account ---------------------------------------------------------------

type Json = unknown

/** Resolves the intrinsic functions the template uses in environments and policies; unknown ids stay visible. */
function resolver(refs: Record<string, string>, attributes: Record<string, string>) {
  const resolve = (value: Json): Json => {
    if (typeof value === 'string' || typeof value === 'number') return String(value)
    if (Array.isArray(value)) return value.map(resolve)
    const object = value as Record<string, Json>
    if ('Ref' in object) return refs[object.Ref as string] ?? `unresolved:${String(object.Ref)}`
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string]
      return attributes[`${id}.${attribute}`] ?? `unresolved:${id}.${attribute}`
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, Json[]]
      return parts.map((part) => resolve(part) as string).join(separator)
    }
    throw new Error(`cannot resolve ${JSON.stringify(value)}`)
  }
  return resolve
}

function globMatches(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`).test(value)
}

// --- the stack and the local servers ------------------------------------------------------------------------

const stack = buildStack()
const template = Template.fromStack(stack)
let local: Awaited<ReturnType<typeof testStack>>
let dynamo: Recorder
let s3: Recorder
let aws: Recorder
let resolve: (value: Json) => Json
let savedEnv: NodeJS.ProcessEnv
const apiKeyArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:finews-api-key-AbCdEf`
const originArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:finews-origin-AbCdEf`

beforeAll(async () => {
  local = await testStack()
  dynamo = await recordingProxy(local.settings.dynamoEndpoint, (req, payload) =>
    dynamoCalls(String(req.headers['x-amz-target'] ?? ''), payload.toString('utf8')),
  )
  s3 = await recordingProxy(local.settings.s3Endpoint, (req) => s3Calls(req.method ?? 'GET', req.url ?? '/'))
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${local.tableName}`
  const ids = {
    table: logicalId(stack, stack.storage.table),
    bucket: logicalId(stack, stack.storage.bucket),
    apiKey: logicalId(stack, stack.apiKeySecret),
    origin: logicalId(stack, stack.apiOriginSecret),
    distribution: logicalId(stack, stack.site.distribution),
  }
  resolve = resolver(
    {
      [ids.table]: local.tableName,
      [ids.bucket]: local.bucketName,
      [ids.apiKey]: apiKeyArn,
      [ids.origin]: originArn,
      [ids.distribution]: 'E1EXAMPLE',
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
    },
    {
      [`${ids.table}.Arn`]: table,
      [`${ids.table}.StreamArn`]: `${table}/stream/2026-11-30T00:00:00.000`,
      [`${ids.bucket}.Arn`]: `arn:aws:s3:::${local.bucketName}`,
      [`${ids.distribution}.DomainName`]: DISTRIBUTION_DOMAIN,
    },
  )
  aws = await secretsAndParameters(
    { [apiKeyArn]: TEST_KEY, [originArn]: ORIGIN_VALUE },
    { [stack.publicBaseUrlParameterName ?? '']: `https://${DISTRIBUTION_DOMAIN}` },
  )
  savedEnv = { ...process.env }
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ENDPOINT_URL_SSM: aws.url,
  })
})
afterAll(async () => {
  process.env = savedEnv
  await Promise.all([dynamo?.close(), s3?.close(), aws?.close()])
  await local?.dispose()
})

type Name = 'api' | 'share' | 'feeds'

/** The function's environment exactly as the template sets it, with endpoints pointing at the recorders. */
function environmentOf(name: Name): Record<string, string> {
  const [fn] = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
    String(f.Properties.Description).startsWith(`finews ${name}:`),
  )
  const variables = fn!.Properties.Environment.Variables as Record<string, Json>
  const env = Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolve(value) as string]))
  for (const value of Object.values(env)) expect(value).not.toMatch(/unresolved/)
  return { ...env, DYNAMODB_ENDPOINT: dynamo.url, S3_ENDPOINT: s3.url }
}

/** Starts the handler module as Lambda does: its environment set first, then the module (top-level await) loaded. */
async function coldStart<T>(name: Name, load: () => Promise<T>): Promise<T> {
  for (const key of ['PUBLIC_BASE_URL', 'PUBLIC_BASE_URL_PARAMETER', 'API_KEY_SECRET_ARN', 'ORIGIN_SECRET_ARN']) {
    delete process.env[key]
  }
  Object.assign(process.env, environmentOf(name))
  return load()
}

/** Every Allow statement of the role, resolved. */
function grantsOf(name: Name): { actions: string[]; resources: string[] }[] {
  const roleId = logicalId(stack, stack[name].role)
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as { Effect: string; Action: Json; Resource: Json }[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        actions: [statement.Action].flat() as string[],
        resources: [resolve(statement.Resource)].flat() as string[],
      })),
  )
}

/** Every call was allowed, and every granted action of the four services was used. */
function expectCallsMatchGrants(name: Name, calls: readonly Call[], notSentByCode: ReadonlySet<string> = new Set()) {
  const grants = grantsOf(name)
  const refused = calls.filter(
    (call) =>
      !grants.some(
        (grant) =>
          grant.actions.some((action) => globMatches(action, call.action)) &&
          grant.resources.some((resource) => globMatches(resource, call.resource)),
      ),
  )
  expect(refused, `${name}: requests its role does not allow`).toEqual([])
  const granted = new Set(
    grants
      .flatMap((grant) => grant.actions)
      .filter((a) => SERVICES.some((s) => a.startsWith(s)) && !notSentByCode.has(a)),
  )
  const used = new Set(calls.map((call) => call.action))
  expect([...granted].filter((action) => !used.has(action)).sort(), `${name}: granted but never sent`).toEqual([])
}

const reset = () => {
  for (const recorder of [dynamo, s3, aws]) recorder.calls.length = 0
}
const allCalls = () => [...dynamo.calls, ...s3.calls, ...aws.calls]

describe('each function sends exactly what its role allows (real handler.ts, recorded on the wire)', () => {
  it('api: SSM at cold start, both secrets, every route of the contract', async () => {
    reset()
    // GIVEN the api handler, started with the template's environment (no custom domain: base URL from SSM)
    const { handler } = await coldStart('api', () => import('../../functions/api/handler.ts'))
    const call = async (method: string, path: string, payload?: string, type = 'text/markdown') => {
      const event = httpApiEvent({
        method,
        path: path.split('?')[0]!,
        query: path.split('?')[1] ?? '',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': type, 'x-finews-origin': ORIGIN_VALUE },
        ...(payload ? { body: payload } : {}),
      })
      const result = (await handler(
        event as unknown as Parameters<typeof handler>[0],
        lambdaContext as unknown as Context,
      )) as APIGatewayProxyResultV2 & { statusCode: number }
      return result.statusCode
    }

    // WHEN every route runs
    expect(await call('GET', '/healthz')).toBe(200)
    expect(await call('POST', '/api/articles', FIXTURE_POST)).toBe(201)
    expect(await call('PUT', `/api/articles/${FIXTURE_INFO_CODE}`, `${FIXTURE_POST}\n更新。`)).toBe(200)
    expect(await call('GET', `/api/articles/${FIXTURE_INFO_CODE}`)).toBe(200)
    expect(await call('GET', '/api/articles?limit=5')).toBe(200)
    expect(await call('GET', '/api/categories')).toBe(200)
    const category = JSON.stringify({ title: '银行', description: '银行业新闻' })
    expect(await call('PUT', '/api/categories/banking', category, 'application/json')).toBe(200)
    expect(await call('GET', '/api/categories/banking')).toBe(200)
    expect(await call('DELETE', `/api/articles/${FIXTURE_INFO_CODE}`)).toBe(204)
    expect(await call('PUT', `/api/articles/${FIXTURE_INFO_CODE}`, FIXTURE_POST)).toBe(201)

    // THEN it read the parameter and both secrets, and every request was allowed; every grant was used
    expect(new Set(aws.calls.map((c) => c.resource))).toEqual(
      new Set([apiKeyArn, originArn, `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/finews/Finews/public-base-url`]),
    )
    expect(s3.calls).toEqual([])
    expectCallsMatchGrants('api', allCalls())
  })

  it('share: SSM at cold start, the page, a short link click, unknown codes', async () => {
    reset()
    const { handler } = await coldStart('share', () => import('../../functions/share/handler.ts'))
    const stored = await local.articles.get(FIXTURE_INFO_CODE)
    const shortCode = stored && 'shortCode' in stored ? String(stored.shortCode) : ''
    expect(shortCode).not.toBe('')
    const browser = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' }
    const get = async (path: string, query = '') =>
      (
        (await handler(
          httpApiEvent({ method: 'GET', path, query, headers: browser }) as unknown as Parameters<typeof handler>[0],
          lambdaContext as unknown as Context,
        )) as {
          statusCode: number
        }
      ).statusCode

    expect(await get('/html_News/NewsShare.html', `infoCode=${FIXTURE_INFO_CODE}`)).toBe(200)
    expect(await get(`/s/${shortCode}`)).toBe(302)
    expect(await get('/s/zzzzzz9')).toBe(404)
    // The click counter writes after the answer: wait until it reached the table.
    await expect
      .poll(() => dynamo.calls.some((c) => c.action === 'dynamodb:UpdateItem'), { timeout: 10_000 })
      .toBe(true)

    expect(aws.calls.map((c) => c.action)).toEqual(['ssm:GetParameter'])
    expect(s3.calls).toEqual([])
    expectCallsMatchGrants('share', allCalls())
  })

  it('feeds: an article and a category record regenerate feeds, pages and the OPML list in the bucket', async () => {
    reset()
    const { handler } = await coldStart('feeds', () => import('../../functions/feeds/handler.ts'))
    const event = {
      Records: [
        articleInserted(FIXTURE_INFO_CODE, ['banking']),
        {
          eventID: '2',
          eventName: 'MODIFY',
          dynamodb: {
            SequenceNumber: '2',
            Keys: { pk: { S: 'CAT' }, sk: { S: 'banking' } },
            OldImage: { title: { S: '旧' } },
            NewImage: { title: { S: '银行' } },
          },
        },
      ],
    } as unknown as DynamoDBStreamEvent

    expect(await handler(event)).toEqual({ batchItemFailures: [] })

    expect(s3.calls.some((c) => c.action === 's3:PutObject')).toBe(true)
    expect(aws.calls).toEqual([])
    // ListBucket makes a HEAD of a key not written yet answer 404 instead of 403: S3 checks it, no request names it.
    expectCallsMatchGrants('feeds', allCalls(), new Set([...STREAM_READ, 's3:ListBucket']))
  })
})
