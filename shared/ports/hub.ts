/** A WebSub hub to tell about changed feeds. */
export interface Hub {
  /** Announces that these feed URLs changed. Never throws: a failing hub is logged, never loses a feed write. */
  publish(urls: readonly string[]): Promise<void>
}
