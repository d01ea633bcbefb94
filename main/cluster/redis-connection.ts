/**
 * Connections to Redis with the two retry policies the cluster needs: the pool side gives up after
 * {@link GIVE_UP_AFTER_MS} (a run must fail with a clear error, not hang), a worker host retries
 * forever with a growing wait and says so each time. BullMQ gets the same options, so its own
 * connections follow the same policy.
 */
import { Redis } from 'ioredis'
import { RedisUnavailableError } from './cluster-errors'
import { CONNECT_TIMEOUT_MS, GIVE_UP_AFTER_MS, HOST_RETRY_MAX_MS } from './cluster-timing'
import type { RedisTarget } from './redis-url'

export type RetryPolicy = 'give-up' | 'forever'

const FIRST_RETRY_MS = 100
const HOST_FIRST_RETRY_MS = 500

/**
 * The wait before reconnect attempt `times` (1, 2, …; ioredis restarts the count after each
 * successful connection), or `null` to stop. Stateless on purpose: BullMQ copies these options
 * into every connection it opens, so one closure must not carry one connection's history.
 */
export function retryDelay(policy: RetryPolicy, times: number): number | null {
  if (policy === 'forever') return Math.min(HOST_FIRST_RETRY_MS * 2 ** (times - 1), HOST_RETRY_MAX_MS)
  const delay = (n: number) => Math.min(FIRST_RETRY_MS * 2 ** (n - 1), 1_000)
  let waited = 0
  for (let n = 1; n < times; n++) waited += delay(n)
  return waited >= GIVE_UP_AFTER_MS ? null : delay(times)
}

/** What ioredis and BullMQ's `connection` are given: both accept this shape. */
export interface ConnectionSettings {
  url: string
  connectTimeout: number
  maxRetriesPerRequest: null
  retryStrategy: (times: number) => number | null
}

/** Options for ioredis and BullMQ's `connection`. `maxRetriesPerRequest: null`: BullMQ's blocking reads need it. */
export function connectionOptions(target: RedisTarget, policy: RetryPolicy): ConnectionSettings {
  return {
    url: target.url,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => retryDelay(policy, times)
  }
}

/**
 * A connection of our own (registry, heartbeats, pub/sub). `onRetry` hears of every reconnect
 * attempt with the last error; errors never go unhandled (ioredis would print them).
 */
export function openConnection(
  target: RedisTarget,
  policy: RetryPolicy,
  onRetry?: (info: { delayMs: number; reason: string }) => void
): Redis {
  const { url, ...options } = connectionOptions(target, policy)
  const client = new Redis(url, options)
  client.on('error', (error: Error) => {
    // Keep the telling error: a server that is not Redis answers garbage once, then the retries
    // only see the socket it closed (EPIPE, ECONNRESET), which says nothing about why.
    const previous = lastErrors.get(client)
    if (previous === undefined || !isBareSocketError(error) || !previous.isTelling) {
      lastErrors.set(client, { text: describeConnectionError(error), isTelling: !isBareSocketError(error) })
    }
  })
  client.on('ready', () => lastErrors.delete(client))
  client.on('reconnecting', (delayMs: number) => onRetry?.({ delayMs, reason: lastConnectionError(client) }))
  return client
}

/** The last telling error each of our connections saw since it was last ready, for the message that reports it. */
const lastErrors = new WeakMap<Redis, { text: string; isTelling: boolean }>()

/** The last connection error `client` saw, as text. */
export function lastConnectionError(client: Redis): string {
  return lastErrors.get(client)?.text ?? 'the connection closed'
}

/** A socket closed under us: true of every retry against a server that is not Redis, so it explains nothing. */
function isBareSocketError(error: Error): boolean {
  return /\b(EPIPE|ECONNRESET)\b|Connection is closed/.test(error.message)
}

/**
 * Resolves once `client` is ready; rejects with {@link RedisUnavailableError} once its retry
 * policy gives up (or at once for a refusal that retrying cannot fix: a wrong password).
 */
export function waitReady(client: Redis, target: RedisTarget): Promise<void> {
  if (client.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      client.off('ready', onReady)
      client.off('end', onEnd)
      client.off('error', onError)
      if (error) reject(error)
      else resolve()
    }
    const onReady = () => done()
    const onEnd = () => done(new RedisUnavailableError(target.masked, lastConnectionError(client), 'connect'))
    const onError = (error: Error) => {
      if (!isAuthError(error)) return
      client.disconnect()
      done(new RedisUnavailableError(target.masked, describeConnectionError(error), 'connect'))
    }
    client.on('ready', onReady)
    client.on('end', onEnd)
    client.on('error', onError)
  })
}

/** A refusal of our credentials: retrying will not help. */
export function isAuthError(error: Error): boolean {
  return /^(NOAUTH|WRONGPASS)\b/.test(error.message) || /invalid (username-)?password/i.test(error.message)
}

/** An error's text for a message: ioredis's are terse ("connect ECONNREFUSED 127.0.0.1:6390"); "not Redis" is made plain. */
export function describeConnectionError(error: Error): string {
  if (/Unknown RESP type|Protocol error/i.test(error.message)) {
    return `the server there does not speak Redis (${error.message.replace(/\.? Please report this\.?$/, '')})`
  }
  return error.message
}

/** An error of the connection itself (closed, refused, reset, timed out), not of a command. */
export function isConnectionError(error: Error): boolean {
  return /Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|socket|Command timed out/i.test(error.message)
}
