/**
 * The application behind the contract, the same for the Electron shell and browser mode: the
 * features (runs and catalog, monitor, speedup lab, launcher), each answering its own channels and
 * publishing its events on one hub, composed into one handler map behind one gatekeeper. The
 * transports (Electron IPC, the WebSocket) only carry requests to `dispatch` and events from the
 * hub. Nothing here knows about IPC or sockets.
 */
import { availableParallelism } from 'node:os'
import { name, version } from '../package.json'
import type { AppInfo } from '../shared/contract'
import { createBenchFeature } from './bench/bench-feature'
import { createNoClusterFeature } from './cluster/no-cluster'
import type { RedisTarget } from './cluster/redis-url'
import { createDispatcher, type Dispatch } from './ipc/dispatcher'
import type { EventHub } from './ipc/event-hub'
import type { Handlers } from './ipc/handlers'
import { LAUNCH_OFF_REASON, launchPolicy } from './ipc/launch-policy'
import { createLaunchFeature } from './launch/launch-feature'
import { createMonitorFeature } from './monitor/monitor-feature'
import { createRunFeature } from './runs/run-feature'

/** What the Electron shell and `poolscope serve` create the application with. */
export interface AppOptions {
  /** Where the features publish run updates, monitor samples and the other events. */
  hub: EventHub
  /** Reported by `app:info`. */
  mode: AppInfo['mode']
  /**
   * Whether `launch:*` and command benchmarks may run: browser mode turns it off unless
   * `--allow-launch`. The gatekeeper checks it, once, for every transport.
   */
  allowLaunch: boolean
  /** Folder for benchmark history; default the user's data folder. */
  dataDir?: string
  /** The built worker entry; default next to the bundle. */
  workerScript?: string
  /** The cluster to watch and run on (`serve --redis`, POOLSCOPE_REDIS); none: nothing connects to Redis. */
  redis?: RedisTarget
}

/** A running application. */
export interface App {
  /** Every request channel's handler, as the features export them. */
  readonly handlers: Handlers
  /** The gatekeeper over `handlers`, launch policy included: what every transport calls. */
  readonly dispatch: Dispatch
  /** Stops every pool, worker, benchmark, launched tree and sampler; resolves when they are gone. */
  dispose(): Promise<void>
}

/**
 * Creates the features and wires them; sampling starts at once. The cluster feature, and BullMQ
 * with it, is loaded only when the app is given a Redis: without one nothing of it loads.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const { hub, redis } = options
  const cluster = redis ? (await import('./cluster/cluster-feature')).createClusterFeature({ hub, redis }) : createNoClusterFeature()
  const monitor = createMonitorFeature(hub)
  const runs = createRunFeature({ hub, workerScript: options.workerScript, clusterPools: cluster.runPools })
  const bench = createBenchFeature({ hub, dataDir: options.dataDir, workerScript: options.workerScript })
  const launch = createLaunchFeature(hub)

  const info: AppInfo = {
    name,
    version,
    mode: options.mode,
    platform: process.platform,
    cores: availableParallelism(),
    canLaunch: options.allowLaunch,
    launchDisabledReason: options.allowLaunch ? undefined : LAUNCH_OFF_REASON,
    dataDir: bench.dataDir,
    ...(cluster.info && { cluster: cluster.info })
  }

  const handlers = {
    'app:info': () => info,
    ...monitor.handlers,
    ...runs.handlers,
    ...bench.handlers,
    ...launch.handlers,
    ...cluster.handlers
  } satisfies Handlers

  return {
    handlers,
    dispatch: createDispatcher(handlers, { authorize: launchPolicy(options.allowLaunch) }),
    async dispose() {
      bench.dispose()
      monitor.dispose()
      // Runs first: a cluster run's pools end their runs in Redis before the watch lets go.
      await Promise.all([runs.dispose(), launch.dispose()])
      await cluster.dispose()
    }
  }
}
