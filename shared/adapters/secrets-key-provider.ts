import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import type { KeyProvider } from '../http/auth.ts'
import { clientOptions, SECRETS_LIMITS } from './client-limits.ts'

/**
 * Accepted API keys from a Secrets Manager secret: a JSON array of keys, `{"keys": [...]}`, or one key as
 * plain text. Cached for `ttlMs` so a rotation is picked up within minutes without a read per request.
 */
export function secretsKeyProvider(secretId: string, region: string, ttlMs = 5 * 60_000): KeyProvider {
  // Made at the first read, not at cold start: building an SDK client is a few ms of init.
  let client: SecretsManagerClient | undefined
  let cached: { keys: readonly string[]; at: number } | undefined
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.keys
    client ??= new SecretsManagerClient({ region, ...clientOptions(SECRETS_LIMITS) })
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }))
    cached = { keys: parseKeys(out.SecretString ?? ''), at: Date.now() }
    return cached.keys
  }
}

/** Reads the secret's text into a list of keys; empty strings never count as keys. */
export function parseKeys(text: string): string[] {
  const trimmed = text.trim()
  let keys: unknown = trimmed
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown
      keys = Array.isArray(parsed)
        ? parsed
        : ((parsed as { keys?: unknown }).keys ?? (parsed as { apiKey?: unknown }).apiKey)
    } catch {
      keys = trimmed
    }
  }
  const list = Array.isArray(keys) ? keys : [keys]
  return list.filter((k): k is string => typeof k === 'string' && k.length >= 16)
}
