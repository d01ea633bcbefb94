/**
 * The cluster behind the contract, when the app was started with a Redis (`serve --redis URL`,
 * or POOLSCOPE_REDIS for the Electron shell): a `cluster:state` event once a second (hosts with
 * their cores and slots, queue depths, failed jobs; see {@link ClusterWatch}), `cluster:retry`
 * for a failed job, and the pools of dashboard runs whose backend is `redis`. An app without a
 * Redis loads `no-cluster.ts` instead, and nothing of this module (nor BullMQ).
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
  /** The cluster's Redis. */
  redis: RedisTarget
  clock?: Clock
}

/** A `redis` run's pools, and the host that ran each of its finished units. */
export interface ClusterRunPools {
  createPool(options: PoolOptions): Pool
  /** The host of a finished unit, once (forgotten as it is taken). */
  takeHost(unitId: number): string | undefined
}

/** Creates the cluster feature; it starts reading at once. `dispose()` closes its connections. */
export function createClusterFeature(options: ClusterFeatureOptions) {
  const { hub, redis } = options
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
