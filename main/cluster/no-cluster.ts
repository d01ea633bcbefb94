/**
 * The cluster feature of an app started without a Redis: the contract's cluster channels answer
 * "no cluster is configured", nothing is published, and nothing of the cluster (BullMQ, ioredis)
 * is loaded. `createApp` loads the real feature (`cluster-feature.ts`) only when given a Redis.
 */
import type { Handlers } from '../ipc/handlers'
import { ClusterNotConfiguredError } from './cluster-errors'

export function createNoClusterFeature() {
  return {
    info: undefined,
    handlers: {
      'cluster:retry': () => {
        throw new ClusterNotConfiguredError()
      }
    } satisfies Partial<Handlers>,
    /** No pools for `redis` runs: the run manager refuses them with `ClusterBackendError`. */
    runPools: undefined,
    dispose: () => Promise.resolve()
  }
}
