import { createHash } from 'node:crypto'
import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import { DomainError } from '../domain/errors.ts'
import { nextLastModified } from '../http/last-modified.ts'
import type { ObjectStore, ObjectWrite, StoredObject } from '../ports/object-store.ts'

/** Settings of the S3 object store. */
export interface S3ObjectStoreOptions {
  readonly client: S3Client
  readonly bucket: string
  /** Injected clock, for tests. */
  readonly now?: () => Date
  /** Time allowed for one read. @default 3000 */
  readonly readTimeoutMs?: number
}

/** Thrown when S3 (or s3rver) could not be read or written; the feeds function reports the records failed. */
export class ObjectStoreError extends DomainError {
  constructor(detail: string, cause?: unknown) {
    super('storage-unavailable', 'Storage unavailable', detail, { cause })
  }
}

// User metadata travels as x-amz-meta-* headers: lower-case names, ASCII values.
const DIGEST = 'finews-digest'
const LAST_MODIFIED = 'finews-last-modified'
const LINK = 'finews-link'
const READ_ATTEMPTS = 3

/**
 * The object store on one S3 bucket. A write first asks HeadObject for the stored digest (sha256 of the
 * bytes and headers) and skips the PUT when it matches, so unchanged feeds keep their ETag and cost no write.
 * @example const objects = s3ObjectStore({ client: createS3Client(config), bucket: config.bucketName })
 */
export function s3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { client, bucket } = options
  const now = options.now ?? (() => new Date())

  async function head(key: string): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    } catch (error) {
      if (isMissing(error)) return undefined
      throw new ObjectStoreError(`could not read s3://${bucket}/${key}`, error)
    }
  }

  // Operations on one key run one after another in this process. S3 replaces an object atomically, but
  // s3rver rewrites its file in place: a read racing a write there would pair old headers with new bytes.
  const queues = new Map<string, Promise<unknown>>()
  function exclusive<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve()
    const next = previous.then(run, run)
    const settled = next.catch(() => undefined)
    queues.set(key, settled)
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key)
    })
    return next
  }

  const store: ObjectStore = {
    async putIfChanged(object: ObjectWrite) {
      const link = object.link === undefined ? undefined : asciiHeader(object.link)
      const digest = digestOf(object.contentType, object.cacheControl, link, Buffer.from(object.body, 'utf8'))
      const stored = await head(object.key)
      if (stored?.Metadata?.[DIGEST] === digest) return false
      const previous = stored ? storedLastModified(stored.Metadata, stored.LastModified) : undefined
      const lastModified = nextLastModified(object.lastModified ?? now(), previous, now())
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: Buffer.from(object.body, 'utf8'),
            ContentType: object.contentType,
            CacheControl: object.cacheControl,
            Metadata: {
              [DIGEST]: digest,
              [LAST_MODIFIED]: lastModified.toISOString(),
              ...(link === undefined ? {} : { [LINK]: link }),
            },
          }),
        )
      } catch (error) {
        throw new ObjectStoreError(`could not write s3://${bucket}/${object.key}`, error)
      }
      return true
    },

    async get(key) {
      let failure: unknown
      let torn: StoredObject | undefined
      for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
        try {
          const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
            abortSignal: AbortSignal.timeout(options.readTimeoutMs ?? 3000),
          })
          const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array()
          const object: StoredObject = {
            body,
            contentType: out.ContentType ?? 'application/octet-stream',
            cacheControl: out.CacheControl,
            etag: strongEtag(out.ETag, body),
            lastModified: storedLastModified(out.Metadata, out.LastModified) ?? now(),
            link: out.Metadata?.[LINK],
          }
          // A write from another process can still race this read on s3rver: the stored digest tells, and
          // the read is tried again.
          const digest = out.Metadata?.[DIGEST]
          if (!digest || digest === digestOf(object.contentType, object.cacheControl, object.link, body)) return object
          torn = object
        } catch (error) {
          if (isMissing(error)) return undefined
          failure = error
        }
        if (attempt < READ_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 50 * attempt))
      }
      if (torn) return torn
      throw new ObjectStoreError(`could not read s3://${bucket}/${key}`, failure)
    },
  }
  return {
    putIfChanged: (object) => exclusive(object.key, () => store.putIfChanged(object)),
    get: (key) => exclusive(key, () => store.get(key)),
  }
}

function storedLastModified(
  metadata: Record<string, string> | undefined,
  fallback: Date | undefined,
): Date | undefined {
  const value = metadata?.[LAST_MODIFIED]
  const parsed = value ? new Date(value) : undefined
  return parsed && Number.isFinite(parsed.getTime()) ? parsed : fallback
}

function digestOf(contentType: string, cacheControl: string | undefined, link: string | undefined, body: Uint8Array) {
  return createHash('sha256')
    .update(`${contentType}\n${cacheControl ?? ''}\n${link ?? ''}\n`)
    .update(body)
    .digest('hex')
}

function strongEtag(etag: string | undefined, body: Uint8Array): string {
  if (etag && /^"[^"]+"$/.test(etag)) return etag
  return `"${createHash('sha256').update(body).digest('base64url')}"`
}

function asciiHeader(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c))
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
  return error.name === 'NotFound' || error.name === 'NoSuchKey' || status === 404
}
