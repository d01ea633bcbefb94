/**
 * The speedup lab behind the contract: `bench:*` starts, cancels, lists, reads and exports
 * benchmarks, and publishes `bench:progress` and `bench:finished` on the hub. A task benchmark's
 * parameters are parsed here, once (`parseTaskInput`); whether a command benchmark may run at all
 * is the gatekeeper's decision (`main/ipc/launch-policy.ts`), made before this handler runs.
 */
import type { EventHub } from '../ipc/event-hub'
import type { Handlers } from '../ipc/handlers'
import { parseTaskInput } from '../runs/task-input'
import { createBenchId } from './report/bench-id'
import { createCommandTarget } from './targets/command-target'
import { exportBenchReport } from './report/export'
import { BenchHistory } from './report/history'
import { runBench } from './runner'
import { createTaskTarget } from './targets/task-target'

/** What the speedup lab needs. */
export interface BenchFeatureOptions {
  hub: EventHub
  /** Folder for benchmark history; default the user's data folder. */
  dataDir?: string
  /** The built worker entry; default next to the bundle. */
  workerScript?: string
}

/** Creates the speedup lab; `dispose()` cancels every benchmark still running. */
export function createBenchFeature(options: BenchFeatureOptions) {
  const { hub } = options
  const history = new BenchHistory({ dataDir: options.dataDir })
  const benches = new Map<string, AbortController>()

  const handlers = {
    'bench:start': (args) => {
      // Both targets throw errors with the contract's `invalid-payload` code for what they refuse
      // (parameters, a command line that cannot be split), before anything starts.
      const target =
        args.taskId !== undefined
          ? createTaskTarget({ ...parseTaskInput(args.taskId, args.params), backend: args.backend, workerScript: options.workerScript })
          : createCommandTarget({ command: args.command!, shell: args.shell })
      const benchId = createBenchId(new Date())
      const stop = new AbortController()
      benches.set(benchId, stop)
      void runBench(target, {
        benchId,
        workers: args.workers,
        runs: args.runs,
        warmup: args.warmup,
        signal: stop.signal,
        onProgress: (progress) => hub.publish('bench:progress', progress)
      })
        .then((report) => history.save(report, { id: benchId }))
        .then(
          (report) => hub.publish('bench:finished', { benchId, report, error: undefined }),
          (err: unknown) => hub.publish('bench:finished', { benchId, report: undefined, error: err instanceof Error ? err.message : String(err) })
        )
        .finally(() => benches.delete(benchId))
      return { benchId }
    },
    'bench:cancel': ({ benchId }) => {
      const stop = benches.get(benchId)
      stop?.abort('cancelled by the user')
      return { cancelled: stop !== undefined }
    },
    'bench:list': () => history.list(),
    'bench:get': ({ id }) => history.get(id),
    'bench:export': async ({ id, format }) => exportBenchReport(await history.get(id), format)
  } satisfies Partial<Handlers>

  return {
    handlers,
    /** Where reports are saved (`app:info` shows it). */
    dataDir: history.dir,
    dispose() {
      for (const stop of benches.values()) stop.abort('the app is closing')
    }
  }
}
