/** One object to write: the bytes and the headers it is served with. */
export interface ObjectWrite {
  readonly key: string
  readonly body: string
  readonly contentType: string
  readonly cacheControl: string
  /**
   * When the representation last changed, as the content says (a feed's `updated`); served as
   * `Last-Modified`. Undefined: the time of the write.
   */
  readonly lastModified?: Date | undefined
  /** A `Link` header to serve with the object (WebSub `rel="hub"` and `rel="self"`). */
  readonly link?: string | undefined
}

/** An object as stored, with what an HTTP server needs to answer for it. */
export interface StoredObject {
  readonly body: Uint8Array
  readonly contentType: string
  readonly cacheControl: string | undefined
  /** A strong validator from the bytes, quoted: `"…"`. */
  readonly etag: string
  readonly lastModified: Date
  readonly link: string | undefined
}

/** Where the feeds function publishes the static site: S3 in AWS, s3rver locally. */
export interface ObjectStore {
  /**
   * Writes the object unless the stored one has the same bytes and headers; true when it wrote.
   * `Last-Modified` never goes backwards: when the bytes change but `lastModified` is not later than
   * the stored one (a deletion, a renamed category), the write time is used instead.
   */
  putIfChanged(object: ObjectWrite): Promise<boolean>
  /** The object, or undefined when there is none under that key. */
  get(key: string): Promise<StoredObject | undefined>
}
