/**
 * Runs catalog tasks for the app (Electron or browser mode): one `TaskRun` per run id, a live
 * `run:update` a few times a second (counters, workers, new unit spans, primitives, progress) and
 * one `run:finished` at the end. While any run is live, its workers' CPU and RSS go out once a
 * second as `monitor:processes`. Stopping a run aborts it; the runner then removes every worker.
 */
import type { RunState, RunSummary, RunUpdate, ValidatedArgs } from '../../shared/contract'
import { ClusterBackendError } from '../cluster/cluster-errors'
import type { ClusterRunPools } from '../cluster/cluster-feature'
import type { EventHub } from '../ipc/event-hub'
import { ProcessSampler } from '../monitor/process-sampler'
import type { UnitSpan } from '../pool/types'
import { PROCESS_ROW_OFFSET, primitiveGauges, toUnitSpan, workerRows } from './run-view'
import type { TaskInput } from './task-input'
import { runTask, TaskRun } from './task-runner'

/** A `run:start` request with its task parsed (`parseTaskInput`): what the manager trusts. */
export type RunRequest = TaskInput & Omit<ValidatedArgs<'run:start'>, 'taskId' | 'params'>

/** Where the manager publishes, and how often. */
export interface RunManagerOptions {
  /** Receives `run:update`, `run:finished` and `monitor:processes`. */
  hub: Pick<EventHub, 'publish'>
  /** Reads the live workers' CPU and RSS; default one at 1 Hz. Started and stopped by the manager. */
  processes?: ProcessSampler
  updateIntervalMs?: number
  /** The built worker entry; default next to the bundle. */
  workerScript?: string
  /** Finished runs kept for `run:list`. */
  keepFinished?: number
  /** Pools for a run whose backend is `redis` (the cluster feature's); throws when there is no cluster. */
  clusterPools?: () => ClusterRunPools
}

/** Most spans sent in one update; the dashboard's stream needs recent ones, not every one of 100,000. */
const MAX_SPANS_PER_UPDATE = 2000

interface ActiveRun {
  summary: RunSummary
  run: TaskRun
  stop: AbortController
  spans: UnitSpan[]
  /** For a run on the cluster: the host of each finished unit. */
  cluster: ClusterRunPools | undefined
  timer: NodeJS.Timeout | undefined
  lastDone: number
  lastAt: number
  perSecond: number
  finished: Promise<void>
}

export class RunManager {
  readonly #options: RunManagerOptions
  readonly #hub: Pick<EventHub, 'publish'>
  readonly #processes: ProcessSampler
  readonly #runs = new Map<string, ActiveRun>()
  #nextId = 1

  constructor(options: RunManagerOptions) {
    this.#options = options
    this.#hub = options.hub
    this.#processes = options.processes ?? new ProcessSampler({ rateHz: 1 })
    this.#processes.on('sample', (sample) => this.#hub.publish('monitor:processes', sample))
    // A failed reading (a worker gone between listing and reading) skips one second.
    this.#processes.on('error', () => undefined)
  }

  /** Starts a run and answers at once; its progress and end arrive as events. */
  start(request: RunRequest): { runId: string } {
    const taskId = request.task.id
    const cluster = request.backend === 'redis' ? this.#clusterPools() : undefined
    const runId = `run-${this.#nextId++}`
    const stop = new AbortController()
    const active: ActiveRun = {
      summary: { runId, taskId, state: 'running', startedAt: Date.now(), params: request.params, workers: request.workers, backend: request.backend },
      run: new TaskRun(),
      stop,
      spans: [],
      cluster,
      timer: undefined,
      lastDone: 0,
      lastAt: Date.now(),
      perSecond: 0,
      finished: Promise.resolve()
    }
    this.#runs.set(runId, active)
    active.timer = setInterval(() => this.#publishUpdate(active), this.#options.updateIntervalMs ?? 250)
    this.#processes.start()
    active.finished = runTask(
      {
        ...request,
        // A cluster run's pools come from the cluster; its tasks still see a local backend's name.
        backend: request.backend === 'redis' ? 'process' : request.backend,
        ...(cluster && { createPool: cluster.createPool }),
        signal: stop.signal,
        workerScript: this.#options.workerScript,
        onSpans: (spans) => {
          active.spans.push(...spans)
          if (active.spans.length > MAX_SPANS_PER_UPDATE) active.spans.splice(0, active.spans.length - MAX_SPANS_PER_UPDATE)
        }
      },
      active.run
    ).then(
      (result) => {
        clearInterval(active.timer)
        active.summary.state = result.state
        this.#publishUpdate(active)
        this.#hub.publish('run:finished', {
          runId,
          taskId,
          state: result.state,
          ok: result.ok,
          result: result.result,
          check: result.check,
          error: result.error,
          stats: result.stats
        })
        this.#afterRunEnded()
      },
      (error: unknown) => {
        clearInterval(active.timer)
        active.summary.state = 'failed'
        this.#hub.publish('run:finished', {
          runId,
          taskId,
          state: 'failed',
          ok: false,
          result: undefined,
          check: undefined,
          error: error instanceof Error ? error.message : String(error),
          stats: { tasks: 0, completed: 0, failed: 0, retried: 0, crashedWorkers: 0, startupMs: 0, wallMs: 0, tasksPerSec: 0 }
        })
        this.#afterRunEnded()
      }
    )
    return { runId }
  }

  /** Stops a live run; resolves once its workers are gone. `stopped: false` for an unknown or ended run. */
  async stop(runId: string): Promise<{ stopped: boolean }> {
    const active = this.#runs.get(runId)
    if (!active || !isLive(active.summary.state)) return { stopped: false }
    active.summary.state = 'stopping'
    active.stop.abort('stopped by the user')
    await active.finished
    return { stopped: true }
  }

  /** Live runs and the last finished ones, oldest first. */
  list(): RunSummary[] {
    return [...this.#runs.values()].map((r) => ({ ...r.summary }))
  }

  /** Fault injection: kills one worker of a run's pool (the pool replaces it) or one of its processes. */
  killWorker(runId: string, workerId: number): { killed: boolean; pid: number | undefined } {
    const active = this.#runs.get(runId)
    if (!active) return { killed: false, pid: undefined }
    for (const pool of active.run.pools) {
      const pid = pool.killWorker(workerId)
      if (pid !== undefined) return { killed: true, pid }
    }
    const process = active.run.processes[workerId - PROCESS_ROW_OFFSET]
    if (process?.isAlive()) {
      const pid = process.pid
      process.kill()
      return { killed: true, pid }
    }
    return { killed: false, pid: undefined }
  }

  /** Pids of every live worker and process of every live run: what `monitor:processes` reads. */
  livePids(): number[] {
    const pids: number[] = []
    for (const active of this.#runs.values()) {
      if (!isLive(active.summary.state)) continue
      for (const row of workerRows(active.run.pools, active.run.processes)) {
        // An in-process pool reports this process; the monitor charts workers, not main.
        if (row.pid !== undefined && row.pid !== process.pid && row.state !== 'exited') pids.push(row.pid)
      }
    }
    return pids
  }

  /** Stops every run and the process sampling; resolves once every worker is gone. */
  async dispose(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((id) => this.stop(id)))
    this.#processes.stop()
  }

  #clusterPools(): ClusterRunPools {
    if (!this.#options.clusterPools) throw new ClusterBackendError()
    return this.#options.clusterPools()
  }

  #publishUpdate(active: ActiveRun): void {
    const counters = active.run.counters()
    // The sampler reads whatever pids are current at its next tick (workers restart with new ones).
    this.#processes.setPids(this.livePids())
    const done = active.run.progress?.done ?? counters.inputsCompleted
    const total = active.run.progress?.total ?? (counters.inputsSubmitted || undefined)
    const now = Date.now()
    const dt = (now - active.lastAt) / 1000
    if (dt > 0) {
      const rate = (done - active.lastDone) / dt
      // Smooth the rate so the ETA does not jump with every batch of results.
      active.perSecond = active.perSecond === 0 ? rate : active.perSecond * 0.7 + rate * 0.3
    }
    active.lastDone = done
    active.lastAt = now
    const update: RunUpdate = {
      runId: active.summary.runId,
      taskId: active.summary.taskId,
      state: active.summary.state,
      at: now,
      counters: {
        submitted: counters.submitted,
        pending: counters.pending,
        running: counters.running,
        completed: counters.completed,
        failed: counters.failed,
        retried: counters.retried,
        crashedWorkers: counters.crashedWorkers
      },
      workers: workerRows(active.run.pools, active.run.processes),
      spans: active.spans.splice(0).map((span) => {
        const host = active.cluster?.takeHost(span.unitId)
        return host === undefined ? toUnitSpan(span) : { ...toUnitSpan(span), host }
      }),
      primitives: primitiveGauges([...active.run.pools, ...active.run.processes]),
      progress: {
        done,
        total,
        perSecond: Math.max(0, Math.round(active.perSecond)),
        etaMs: total !== undefined && active.perSecond > 0 ? Math.round(((total - done) / active.perSecond) * 1000) : undefined
      }
    }
    this.#hub.publish('run:update', update)
  }

  /** Forgets old finished runs; once none is live, stops the process sampling and clears its figures. */
  #afterRunEnded(): void {
    const keep = this.#options.keepFinished ?? 20
    const finished = [...this.#runs.values()].filter((r) => !isLive(r.summary.state))
    for (const old of finished.slice(0, Math.max(0, finished.length - keep))) this.#runs.delete(old.summary.runId)
    if (![...this.#runs.values()].some((r) => isLive(r.summary.state))) {
      this.#processes.stop()
      this.#processes.setPids([])
      this.#hub.publish('monitor:processes', { t: Date.now(), processes: [] })
    }
  }
}

function isLive(state: RunState): boolean {
  return state === 'running' || state === 'stopping'
}
