/**
 * The one place a Redis URL is parsed and masked. Every message that shows a URL (CLI output,
 * errors, host records, the dashboard) goes through {@link maskRedisUrl}, so a password given as
 * `redis://user:secret@host` is never printed.
 */

/** What `--redis` accepts: `redis://` or, with TLS, `rediss://`. */
const SCHEMES = new Set(['redis:', 'rediss:'])
const DEFAULT_PORT = 6379
/**
 * The password part of a URL anywhere in a text: `redis://user:PASSWORD@` or `redis://:PASSWORD@`.
 * Any scheme, not only Redis's: a mistyped `--redis http://user:pw@host` must not print it either.
 */
const PASSWORD_IN_URL = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s@]*@/gi

/** A `--redis` value that is not a Redis URL; the message shows it masked. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError'
}

export interface RedisTarget {
  /** The URL as given, for connecting (it may hold a password: never print it). */
  readonly url: string
  /** The URL with its password masked, for every message. */
  readonly masked: string
  readonly host: string
  readonly port: number
  readonly isTls: boolean
}

/** Replaces the password of every URL in `text` with `***`; text without one is returned as is. */
export function maskRedisUrl(text: string): string {
  return text.replace(PASSWORD_IN_URL, '$1***@')
}

/** Checks a Redis URL's shape; throws {@link RedisUrlError} naming what is wrong (URL masked). */
export function parseRedisUrl(raw: string): RedisTarget {
  const text = raw.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new RedisUrlError(`expected redis://HOST:PORT (or rediss:// for TLS), got ${JSON.stringify(maskRedisUrl(text))}`)
  }
  const masked = maskRedisUrl(text)
  if (!SCHEMES.has(url.protocol)) {
    throw new RedisUrlError(`expected a redis:// or rediss:// URL, got ${JSON.stringify(masked)}`)
  }
  if (url.hostname === '') throw new RedisUrlError(`${masked} names no host`)
  const db = url.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d+$/.test(db)) throw new RedisUrlError(`${masked}: the path must be a database number, got "/${db}"`)
  return {
    url: text,
    masked,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? DEFAULT_PORT : Number(url.port),
    isTls: url.protocol === 'rediss:'
  }
}
