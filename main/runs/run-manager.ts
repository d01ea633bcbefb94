/**
 * Runs catalog tasks for the app (Electron or browser mode): one `TaskRun` per run id, a live
 * `run:update` a few times a second (counters, workers with CPU/RSS, new unit spans, progress) and
 * one `run:finished` at the end. Stopping a run aborts it; the runner then removes every worker.
 */
import type { ProcessStat, RunFinished, RunState, RunSummary, RunUpdate, UnitSpanDto, ValidatedArgs, WorkerRow } from '../../shared/contract'
import type { Pool } from '../pool/pool'
import type { Process } from '../pool/process'
import type { TaskSpan } from '../pool/types'
import type { TaskInput } from './task-input'
import { runTask, TaskRun } from './task-runner'

/** A `run:start` request with its task parsed (`parseTaskInput`): what the manager trusts. */
export type RunRequest = TaskInput & Omit<ValidatedArgs<'run:start'>, 'taskId' | 'params'>

export interface RunManagerOptions {
  publish<E extends 'run:update' | 'run:finished'>(channel: E, payload: E extends 'run:update' ? RunUpdate : RunFinished): void
  /** CPU and RSS of the given pids; the monitor's process sampler. */
  sampleProcesses(pids: number[]): Promise<ProcessStat[]>
  updateIntervalMs?: number
  workerScript?: string
  /** Finished runs kept for `run:list`. */
  keepFinished?: number
}

/** Most spans sent in one update; the task stream needs recent ones, not every one of 100,000. */
const MAX_SPANS_PER_UPDATE = 2000

interface ActiveRun {
  summary: RunSummary
  run: TaskRun
  stop: AbortController
  spans: TaskSpan[]
  timer: NodeJS.Timeout | undefined
  lastDone: number
  lastAt: number
  perSecond: number
  finished: Promise<void>
}

export class RunManager {
  readonly #options: RunManagerOptions
  readonly #runs = new Map<string, ActiveRun>()
  #nextId = 1

  constructor(options: RunManagerOptions) {
    this.#options = options
  }

  /** Starts a run and answers at once; its progress and end arrive as events. */
  start(request: RunRequest): { runId: string } {
    const taskId = request.task.id
    const runId = `run-${this.#nextId++}`
    const stop = new AbortController()
    const active: ActiveRun = {
      summary: { runId, taskId, state: 'running', startedAt: Date.now(), params: request.params, workers: request.workers, backend: request.backend },
      run: new TaskRun(),
      stop,
      spans: [],
      timer: undefined,
      lastDone: 0,
      lastAt: Date.now(),
      perSecond: 0,
      finished: Promise.resolve()
    }
    this.#runs.set(runId, active)
    active.timer = setInterval(() => void this.#publishUpdate(active), this.#options.updateIntervalMs ?? 250)
    active.finished = runTask(
      {
        ...request,
        signal: stop.signal,
        workerScript: this.#options.workerScript,
        onSpans: (spans) => {
          active.spans.push(...spans)
          if (active.spans.length > MAX_SPANS_PER_UPDATE) active.spans.splice(0, active.spans.length - MAX_SPANS_PER_UPDATE)
        }
      },
      active.run
    ).then(
      async (result) => {
        clearInterval(active.timer)
        active.summary.state = result.state
        await this.#publishUpdate(active)
        this.#options.publish('run:finished', {
          runId,
          taskId,
          state: result.state,
          ok: result.ok,
          result: result.result,
          check: result.check,
          error: result.error,
          stats: result.stats
        })
        this.#forgetOldRuns()
      },
      (error: unknown) => {
        clearInterval(active.timer)
        active.summary.state = 'failed'
        this.#options.publish('run:finished', {
          runId,
          taskId,
          state: 'failed',
          ok: false,
          result: undefined,
          check: undefined,
          error: error instanceof Error ? error.message : String(error),
          stats: { tasks: 0, completed: 0, failed: 0, retried: 0, crashedWorkers: 0, startupMs: 0, wallMs: 0, tasksPerSec: 0 }
        })
      }
    )
    return { runId }
  }

  async stop(runId: string): Promise<{ stopped: boolean }> {
    const active = this.#runs.get(runId)
    if (!active || !isLive(active.summary.state)) return { stopped: false }
    active.summary.state = 'stopping'
    active.stop.abort('stopped by the user')
    await active.finished
    return { stopped: true }
  }

  list(): RunSummary[] {
    return [...this.#runs.values()].map((r) => ({ ...r.summary }))
  }

  /** Fault injection: kills one worker of a run's pool; the pool replaces it. */
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

  /** Pids of every live worker and process of every active run, for the process sampler. */
  livePids(): number[] {
    const pids: number[] = []
    for (const active of this.#runs.values()) {
      for (const row of workerRows(active.run.pools, active.run.processes)) if (row.pid !== undefined && row.state !== 'exited') pids.push(row.pid)
    }
    return pids
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((id) => this.stop(id)))
  }

  async #publishUpdate(active: ActiveRun): Promise<void> {
    const counters = active.run.counters()
    const rows = workerRows(active.run.pools, active.run.processes)
    const pids = rows.filter((r) => r.pid !== undefined && r.pid !== process.pid && r.state !== 'exited').map((r) => r.pid!)
    const stats = pids.length > 0 ? await this.#options.sampleProcesses(pids).catch(() => []) : []
    const byPid = new Map(stats.map((s) => [s.pid, s]))
    for (const row of rows) {
      const stat = row.pid === undefined ? undefined : byPid.get(row.pid)
      row.cpuPercent = stat?.cpuPercent
      row.rssBytes = stat?.rssBytes
    }
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
    const spans = active.spans.splice(0).map(toUnitSpan)
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
      workers: rows,
      spans,
      progress: {
        done,
        total,
        perSecond: Math.max(0, Math.round(active.perSecond)),
        etaMs: total !== undefined && active.perSecond > 0 ? Math.round(((total - done) / active.perSecond) * 1000) : undefined
      }
    }
    this.#options.publish('run:update', update)
  }

  #forgetOldRuns(): void {
    const keep = this.#options.keepFinished ?? 20
    const finished = [...this.#runs.values()].filter((r) => !isLive(r.summary.state))
    for (const old of finished.slice(0, Math.max(0, finished.length - keep))) this.#runs.delete(old.summary.runId)
  }
}

/** Rows for single processes (hello, game-loops…) follow the pool slots. */
const PROCESS_ROW_OFFSET = 1000

function isLive(state: RunState): boolean {
  return state === 'running' || state === 'stopping'
}

function workerRows(pools: Pool[], processes: Process[]): WorkerRow[] {
  const rows: WorkerRow[] = []
  for (const pool of pools) {
    for (const w of pool.snapshot().workers) {
      rows.push({
        id: w.id,
        name: w.name,
        pid: w.pid,
        state: w.state,
        currentUnitId: w.currentTaskId,
        unitsDone: w.tasksDone,
        restarts: w.restarts,
        cpuPercent: undefined,
        rssBytes: undefined
      })
    }
  }
  processes.forEach((p, i) =>
    rows.push({
      id: PROCESS_ROW_OFFSET + i,
      name: p.name,
      pid: p.pid,
      state: p.isAlive() ? 'busy' : 'exited',
      currentUnitId: undefined,
      unitsDone: p.isAlive() ? 0 : 1,
      restarts: 0,
      cpuPercent: undefined,
      rssBytes: undefined
    })
  )
  return rows
}

/** The engine's span as the contract carries it. */
function toUnitSpan(span: TaskSpan): UnitSpanDto {
  return { unitId: span.taskId, workerId: span.workerId, size: span.size, startedAt: span.startedAt, endedAt: span.endedAt, ok: span.ok }
}
