/**
 * The application behind the contract, shared by the Electron shell and browser mode: catalog,
 * runs, monitor, speedup lab and launcher, publishing their events on one hub. Nothing here
 * knows about IPC or sockets; `dispose()` stops every pool, worker, benchmark, tree and sampler.
 */
import { availableParallelism } from 'node:os'
import type { BenchReport } from '../../shared/contract'
import { version, name } from '../../package.json'
import { catalog, taskInfo } from '../../tasks'
import { BenchHistory } from '../bench/history'
import { createCommandTarget } from '../bench/command-target'
import { exportBenchReport } from '../bench/export'
import { createBenchId } from '../bench/bench-id'
import { runBench } from '../bench/runner'
import { createTaskTarget } from '../bench/task-target'
import type { AppServices, AppServicesOptions } from '../ipc/handlers'
import { RequestError } from '../ipc/request-error'
import { ProcessSampler } from '../monitor/process-sampler'
import { SystemSampler } from '../monitor/system-sampler'
import { TaskParamsError } from '../runs/task-runner'
import { RunManager } from './run-manager'
import { createLauncherService } from './launcher-service'

export interface CreateAppServicesOptions extends AppServicesOptions {
  /** Folder for benchmark history; default the user's data folder. */
  dataDir?: string
  workerScript?: string
}

const LAUNCH_OFF_REASON = 'Launching commands is off in browser mode; start the server with `poolscope serve --allow-launch`.'

export function createAppServices(options: CreateAppServicesOptions): AppServices {
  const { hub } = options
  const system = new SystemSampler()
  system.on('sample', (sample) => hub.publish('monitor:sample', sample))
  system.on('error', () => undefined)
  system.start()
  const processes = new ProcessSampler()
  const history = new BenchHistory({ dataDir: options.dataDir })
  const benches = new Map<string, AbortController>()

  const runs = new RunManager({
    publish: (channel, payload) => hub.publish(channel, payload as never),
    async sampleProcesses(pids) {
      processes.setPids(pids)
      return (await processes.sample()).processes
    },
    workerScript: options.workerScript
  })
  const launcher = createLauncherService(hub)

  /** Converts a task's parameter error into the request's validation error. */
  const asRequestError = (err: unknown): never => {
    if (err instanceof TaskParamsError) throw new RequestError('invalid-payload', err.message, [{ path: 'params', message: err.message }])
    throw err
  }

  return {
    info: () => ({
      name,
      version,
      mode: options.mode,
      platform: process.platform,
      cores: availableParallelism(),
      canLaunch: options.allowLaunch,
      launchDisabledReason: options.allowLaunch ? undefined : LAUNCH_OFF_REASON,
      dataDir: history.dir
    }),
    catalog: { list: () => catalog.map(taskInfo) },
    runs: {
      start: (args) => {
        try {
          return runs.start(args)
        } catch (err) {
          return asRequestError(err)
        }
      },
      stop: (runId) => runs.stop(runId),
      list: () => runs.list(),
      killWorker: (runId, workerId) => runs.killWorker(runId, workerId)
    },
    monitor: {
      history: (sinceMs) => system.history(sinceMs),
      configure: (rateHz) => {
        system.setRate(rateHz)
        return { rateHz: system.rateHz }
      }
    },
    bench: {
      start(args) {
        if (args.command !== undefined && !options.allowLaunch) throw new RequestError('forbidden', LAUNCH_OFF_REASON)
        let target
        try {
          target =
            args.taskId !== undefined
              ? createTaskTarget({ taskId: args.taskId, params: args.params, backend: args.backend, workerScript: options.workerScript })
              : createCommandTarget({ command: args.command!, shell: args.shell })
        } catch (err) {
          if (err instanceof TaskParamsError) return asRequestError(err)
          throw new RequestError('invalid-payload', err instanceof Error ? err.message : String(err))
        }
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
            (report: BenchReport) => hub.publish('bench:finished', { benchId, report, error: undefined }),
            (err: unknown) =>
              hub.publish('bench:finished', { benchId, report: undefined, error: err instanceof Error ? err.message : String(err) })
          )
          .finally(() => benches.delete(benchId))
        return { benchId }
      },
      cancel(benchId) {
        const stop = benches.get(benchId)
        stop?.abort('cancelled by the user')
        return { cancelled: stop !== undefined }
      },
      list: () => history.list(),
      get: (id) => history.get(id),
      async export(id, format) {
        return exportBenchReport(await history.get(id), format)
      }
    },
    launcher: {
      start: (args) => {
        if (!options.allowLaunch) throw new RequestError('forbidden', LAUNCH_OFF_REASON)
        return launcher.start(args)
      },
      signal: (args) => launcher.signal(args),
      list: () => launcher.list(),
      get: (args) => launcher.get(args)
    },
    async dispose() {
      for (const stop of benches.values()) stop.abort('the app is closing')
      system.stop()
      processes.stop()
      await Promise.all([runs.dispose(), launcher.dispose()])
    }
  }
}
