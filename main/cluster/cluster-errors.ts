/**
 * Errors of the cluster backend. They are not `PoolError`s: those are the engine's, with a closed
 * set of codes; what fails here is the connection to Redis, which the engine does not know of.
 * A unit whose job was lost with the connection fails in the engine as a `TaskFailedError` whose
 * `remoteName` is `RedisUnavailableError` and whose message is this error's.
 */

/** Redis cannot be reached, refused us, or went away; `url` is masked. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError'
  readonly code = 'redis-unavailable'
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly phase: 'connect' | 'lost'
  ) {
    super(phase === 'connect' ? `could not reach Redis at ${url}: ${reason}` : `lost the connection to Redis at ${url}: ${reason}`)
  }
}
