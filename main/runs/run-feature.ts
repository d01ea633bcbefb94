/**
 * Runs and the catalog behind the contract: `catalog:list`, `run:*` and `worker:kill`. A run's
 * parameters are parsed here, once (`parseTaskInput`), after the gatekeeper has checked the request
 * against the contract; the run manager then trusts them. Its events (`run:update`,
 * `run:finished`, `monitor:processes`) go to the hub.
 */
import { catalog, taskInfo } from '../../tasks'
import type { EventHub } from '../ipc/event-hub'
import type { Handlers } from '../ipc/handlers'
import { RunManager, type RunManagerOptions } from './run-manager'
import { parseTaskInput } from './task-input'

/** What the runs feature needs. */
export interface RunFeatureOptions {
  hub: EventHub
  /** The built worker entry; default next to the bundle. */
  workerScript?: string
  /** Pools for `redis` runs (the cluster feature's). */
  clusterPools?: RunManagerOptions['clusterPools']
}

/** Creates the runs feature; `dispose()` stops every run and removes its workers. */
export function createRunFeature(options: RunFeatureOptions) {
  const runs = new RunManager({ hub: options.hub, workerScript: options.workerScript, clusterPools: options.clusterPools })

  const handlers = {
    'catalog:list': () => catalog.map(taskInfo),
    'run:start': ({ taskId, params, ...settings }) => runs.start({ ...settings, ...parseTaskInput(taskId, params) }),
    'run:stop': ({ runId }) => runs.stop(runId),
    'run:list': () => runs.list(),
    'worker:kill': ({ runId, workerId }) => runs.killWorker(runId, workerId)
  } satisfies Partial<Handlers>

  return { handlers, runs, dispose: () => runs.dispose() }
}
