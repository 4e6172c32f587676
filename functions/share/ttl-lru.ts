/** Bounds of a `TtlLru`. */
export interface TtlLruOptions {
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries: number
  /** Most total weight kept (e.g. characters of rendered pages), so a few huge pages cannot fill memory. */
  readonly maxWeight: number
  /** Clock in milliseconds, injected by tests. @default Date.now */
  readonly now?: () => number
}

interface Slot<V> {
  readonly value: V
  readonly expiresAt: number
  readonly weight: number
}

/**
 * A small least-recently-used cache whose entries also expire: bounded in count, in total weight and in time.
 * A `Map` keeps insertion order, so re-inserting on each hit makes its first key the least recently used.
 * @example const cache = new TtlLru<string, string>({ maxEntries: 500, maxWeight: 1e7 }); cache.set('k', 'v', 60_000)
 */
export class TtlLru<K, V> {
  readonly #slots = new Map<K, Slot<V>>()
  readonly #options: TtlLruOptions
  readonly #now: () => number
  #weight = 0

  constructor(options: TtlLruOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** The live value under `key`, marked as most recently used; undefined when absent or expired. */
  get(key: K): V | undefined {
    const slot = this.#slots.get(key)
    if (!slot) return undefined
    this.#slots.delete(key)
    if (slot.expiresAt <= this.#now()) {
      this.#weight -= slot.weight
      return undefined
    }
    this.#slots.set(key, slot)
    return slot.value
  }

  /** Keeps `value` for `ttlMs`; evicts the least recently used entries until the bounds hold again. */
  set(key: K, value: V, ttlMs: number, weight = 1): void {
    this.delete(key)
    if (weight > this.#options.maxWeight || ttlMs <= 0) return
    this.#slots.set(key, { value, expiresAt: this.#now() + ttlMs, weight })
    this.#weight += weight
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#options.maxEntries && this.#weight <= this.#options.maxWeight) break
      this.#slots.delete(oldest)
      this.#weight -= slot.weight
    }
  }

  /** Forgets `key`. */
  delete(key: K): void {
    const slot = this.#slots.get(key)
    if (!slot) return
    this.#slots.delete(key)
    this.#weight -= slot.weight
  }

  /** Forgets everything. */
  clear(): void {
    this.#slots.clear()
    this.#weight = 0
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.#slots.size
  }

  /** Total weight held. */
  get weight(): number {
    return this.#weight
  }
}
