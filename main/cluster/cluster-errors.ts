/**
 * Errors of the cluster backend. They are not `PoolError`s: those are the engine's, with a closed
 * set of codes; what fails here is the connection to Redis, which the engine does not know of.
 * A unit whose job was lost with the connection fails in the engine as a `TaskFailedError` whose
 * `remoteName` is `RedisUnavailableError` and whose message is this error's. The app's errors
 * for a cluster that is not configured are here too, so an app without one loads nothing of BullMQ.
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

/** A cluster request when the app has no Redis: the contract's `not-found`. */
export class ClusterNotConfiguredError extends Error {
  override readonly name = 'ClusterNotConfiguredError'
  readonly code = 'not-found'
  constructor() {
    super('no cluster is configured: start with `poolscope serve --redis URL` (or POOLSCOPE_REDIS=URL for the app)')
  }
}

/** A `redis` run without a cluster: refused on the request's `backend` field. */
export class ClusterBackendError extends Error {
  override readonly name = 'ClusterBackendError'
  readonly code = 'invalid-payload'
  readonly issues = [{ path: 'backend', message: 'no cluster is configured (start with --redis URL)' }]
  constructor() {
    super('backend "redis" needs a cluster: start with `poolscope serve --redis URL` (or POOLSCOPE_REDIS=URL for the app)')
  }
}
