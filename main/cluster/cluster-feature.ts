/**
 * The cluster behind the contract, when the app was started with a Redis (`serve --redis URL`,
 * or POOLSCOPE_REDIS for the Electron shell): a `cluster:state` event once a second (hosts with
 * their cores and slots, queue depths, failed jobs; see {@link ClusterWatch}), `cluster:retry`
 * for a failed job, and the pools of dashboard runs whose backend is `redis`.
 *
 * Without a Redis nothing connects and nothing is published: `cluster:retry` is refused as
 * `not-found`, and a `redis` run as an invalid backend.
 */
import type { ClusterInfo } from '../../shared/contract'
import type { EventHub } from '../ipc/event-hub'
import type { Handlers } from '../ipc/handlers'
import { systemClock, type Clock } from '../monitor/clock'
import { SamplingLoop } from '../monitor/sampling-loop'
import type { Pool } from '../pool/pool'
import type { PoolOptions } from '../pool/types'
import { clusterPoolFactory } from './cluster-pool'
import { ClusterWatch } from './cluster-watch'
import type { RedisTarget } from './redis-url'
import { unitIdOfJob } from './redis-worker-adapter'

/** How often the dashboard's view of the cluster is read. */
export const CLUSTER_STATE_EVERY_MS = 1_000
/** Hosts remembered per run for units whose span has not been sent yet. */
const HOSTS_KEPT = 10_000

export interface ClusterFeatureOptions {
  hub: Pick<EventHub, 'publish'>
  /** The cluster's Redis; undefined: no cluster (nothing connects). */
  redis: RedisTarget | undefined
  clock?: Clock
}

/** A `redis` run's pools, and the host that ran each of its finished units. */
export interface ClusterRunPools {
  createPool(options: PoolOptions): Pool
  /** The host of a finished unit, once (forgotten as it is taken). */
  takeHost(unitId: number): string | undefined
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

/** Creates the cluster feature; with a Redis, it starts reading at once. `dispose()` closes its connections. */
export function createClusterFeature(options: ClusterFeatureOptions) {
  const { hub, redis } = options
  if (!redis) {
    return {
      info: undefined,
      handlers: {
        'cluster:retry': () => {
          throw new ClusterNotConfiguredError()
        }
      } satisfies Partial<Handlers>,
      runPools: (): ClusterRunPools => {
        throw new ClusterBackendError()
      },
      dispose: () => Promise.resolve()
    }
  }

  const watch = new ClusterWatch(redis)
  const loop = new SamplingLoop({
    clock: options.clock ?? systemClock,
    intervalMs: CLUSTER_STATE_EVERY_MS,
    readsAtStart: true,
    read: async (isCurrent) => {
      const state = await watch.read()
      if (isCurrent()) hub.publish('cluster:state', state)
      return state
    },
    // `read` reports an unreadable Redis in the state itself; nothing else is expected to fail.
    onError: () => undefined
  })
  loop.start()
  const info: ClusterInfo = { redis: redis.masked }

  return {
    info,
    handlers: {
      'cluster:retry': async ({ runId, jobId }) => ({ retried: await watch.retry(runId, jobId) })
    } satisfies Partial<Handlers>,
    runPools(): ClusterRunPools {
      const hosts = new Map<number, string>()
      const createPool = clusterPoolFactory(redis.url, ({ jobId, host }) => {
        const unitId = unitIdOfJob(jobId)
        if (unitId === undefined || host === undefined) return
        hosts.set(unitId, host)
        // Spans past the run manager's per-update cap are never sent, so their hosts are never taken.
        if (hosts.size > HOSTS_KEPT) hosts.delete(hosts.keys().next().value!)
      })
      return {
        createPool,
        takeHost(unitId) {
          const host = hosts.get(unitId)
          hosts.delete(unitId)
          return host
        }
      }
    },
    async dispose() {
      loop.stop()
      await watch.dispose()
    }
  }
}
