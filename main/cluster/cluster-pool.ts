/**
 * A pool whose workers are the cluster's: the engine's own `Pool` with the Redis backend, so map
 * and starmap order, lazy imap, applyAsync, chunksize, retries, timeouts, AbortSignal and
 * close/terminate are the engine's, unchanged. Its `size` is how many units it keeps out at once
 * (as with a local pool, a chunk is one unit, and one unit is one job); the hosts' slots decide
 * how many run at once.
 *
 *   await using pool = new ClusterPool({ redis: 'redis://10.0.0.5:6379', workers: 8 })
 *   await pool.ready()                    // rejects naming the (masked) URL if Redis is not there
 *   const squares = await pool.starmap('square:square', inputs.map((x) => [x, 0]))
 *
 * Only catalog functions run (`"<task-id>:<export>"`, `"builtin:<name>"`): hosts never load code
 * they are sent. Ending the pool (terminate, or close then join) ends its run in Redis too.
 */
import { availableParallelism } from 'node:os'
import { InvalidOptionError } from '../pool/errors'
import { Pool } from '../pool/pool'
import type { PoolOptions } from '../pool/types'
import type { HostRecord } from './host-record'
import { RedisBackend } from './redis-backend'
import { parseRedisUrl, RedisUrlError, type RedisTarget } from './redis-url'

/** A local pool's options, less what has no meaning on remote hosts, plus the cluster's Redis. */
export interface ClusterPoolOptions extends Omit<PoolOptions, 'backend' | 'initializer' | 'workerScript' | 'env' | 'serialization'> {
  /** `redis://[user:password@]HOST:PORT[/db]`, or `rediss://` for TLS. */
  redis: string
  /** Hears of every job that finished, with the host that ran it (the dashboard's task stream). */
  onJobDone?: ConstructorParameters<typeof RedisBackend>[0]['onJobDone']
}

const REMOTE_MEANINGLESS = ['backend', 'initializer', 'workerScript', 'env', 'serialization'] as const

export class ClusterPool extends Pool {
  readonly #backend: RedisBackend

  constructor(options: ClusterPoolOptions) {
    const { redis, onJobDone, ...poolOptions } = options
    for (const key of REMOTE_MEANINGLESS) {
      if (key in options) throw new InvalidOptionError(key, 'has no meaning for a cluster pool: its workers run on remote hosts')
    }
    let target
    try {
      target = parseRedisUrl(redis)
    } catch (error) {
      if (error instanceof RedisUrlError) throw new InvalidOptionError('redis', error.message)
      throw error
    }
    const workers = poolOptions.workers ?? availableParallelism()
    const backend = redisPoolBackend(target, { ...poolOptions, workers }, onJobDone)
    super({ ...poolOptions, workers, backend })
    this.#backend = backend
    // close() ends the run in Redis once the last virtual worker has left, without a join().
    this.on('worker-exit', () => {
      setImmediate(() => {
        if (this.state === 'closed') void this.#backend.dispose()
      })
    })
  }

  /** The cluster's Redis, password masked. */
  get redis(): string {
    return this.#backend.target.masked
  }

  /** This pool's run in the cluster: its queue is `poolscope:run-<runId>`. */
  get runId(): string {
    return this.#backend.runId
  }

  /** The worker hosts in the cluster now (records expire within seconds of a host's death). */
  hosts(): Promise<HostRecord[]> {
    return this.#backend.hosts()
  }

  /** Resolves once the run's queue is ready and the pool's workers are; rejects with `RedisUnavailableError`. */
  override async ready(): Promise<void> {
    await this.#backend.connected
    await super.ready()
  }

  override async terminate(): Promise<void> {
    await super.terminate()
    await this.#backend.dispose()
  }

  override async join(): Promise<void> {
    await super.join()
    await this.#backend.dispose()
  }
}

/**
 * The backend of one pool's run on the cluster: a `ClusterPool`'s, and what `new Pool({ backend:
 * 'redis' })` loads (this module with it, so BullMQ loads only for a pool that names Redis).
 * Jobs carry the pool's own timeout and retries, which the hosts enforce.
 */
export function redisPoolBackend(
  target: RedisTarget,
  options: Pick<PoolOptions, 'name' | 'taskTimeoutMs' | 'retries'> & { workers: number },
  onJobDone?: ClusterPoolOptions['onJobDone']
): RedisBackend {
  return new RedisBackend({
    target,
    workers: options.workers,
    label: options.name ?? 'pool',
    jobDefaults: {
      ...(options.taskTimeoutMs !== undefined && { timeoutMs: options.taskTimeoutMs }),
      ...(options.retries !== undefined && { retries: options.retries })
    },
    onJobDone
  })
}

/**
 * Makes cluster pools from a local pool's options (what the task runner builds): the options that
 * mean nothing remotely are dropped, an initializer is refused (a job may run on any host).
 */
export function clusterPoolFactory(redis: string, onJobDone?: ClusterPoolOptions['onJobDone']): (options: PoolOptions) => ClusterPool {
  return (options) => {
    const { backend: _backend, workerScript: _script, env: _env, serialization: _serialization, initializer, ...rest } = options
    if (initializer) throw new InvalidOptionError('initializer', 'is not supported on the cluster: a job may run on any host')
    return new ClusterPool({ ...rest, redis, onJobDone })
  }
}
