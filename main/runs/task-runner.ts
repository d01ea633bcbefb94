/**
 * Runs one catalog task end to end — gives it a context that creates watched pools and processes,
 * times it, checks it — for the CLI, the app and the speedup lab. Its input was parsed once, at the
 * boundary (`parseTaskInput`), and is trusted here. Whatever happens (success, failure, stop),
 * every pool and process it started is gone afterwards.
 */
import { setMaxListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunCheck, RunStats } from '../../shared/contract'
import type { TaskContext } from '../../tasks/task-definition'
import { InlinePool } from '../pool/inline-pool'
import { Pool } from '../pool/pool'
import { Process } from '../pool/process'
import { emptyCounters } from '../pool/scheduler'
import type { Backend, PoolCounters, PoolOptions, UnitSpan } from '../pool/types'
import type { TaskInput } from './task-input'

/** A parsed task and how to run it. */
export interface TaskRunOptions extends TaskInput {
  workers: number
  backend: Backend
  chunksize?: number
  timeoutMs?: number
  retries?: number
  durationMs?: number
  signal?: AbortSignal
  /** Run the task's pool work in this process, sequentially, without workers (the speedup baseline). */
  inline?: boolean
  /** The built worker entry; default next to the bundle. */
  workerScript?: string
  /**
   * A started pool of `workers` workers for the task's first plain `createPool()` (no overrides),
   * left running afterwards: the speedup lab times repeated runs on one warm pool, as a Python
   * user times `pool.map` inside `with Pool()`, not the fork and module loading of each run.
   */
  pool?: Pool
  /**
   * Makes the task's pools (default `new Pool(options)`): `poolscope run --redis` passes one that
   * makes cluster pools, so the same task runs on remote hosts.
   */
  createPool?: (options: PoolOptions) => Pool
  onLog?: (line: string) => void
  onSpans?: (spans: UnitSpan[]) => void
  onPool?: (pool: Pool) => void
  onProcess?: (process: Process) => void
}

export interface TaskRunResult {
  taskId: string
  params: Record<string, unknown>
  ok: boolean
  state: 'succeeded' | 'failed' | 'stopped'
  result: unknown
  check: RunCheck | undefined
  error: string | undefined
  stats: RunStats
}

/**
 * A live view of a running task for the monitor: its pools' counters summed, and progress.
 */
export class TaskRun {
  readonly pools: Pool[] = []
  /** Counters of lent pools (`TaskRunOptions.pool`) when this run took them, subtracted in `counters()`. */
  readonly lentAt = new Map<Pool, PoolCounters>()
  readonly processes: Process[] = []
  progress: { done: number; total: number | undefined } | undefined

  counters(): PoolCounters {
    const sum = emptyCounters()
    for (const pool of this.pools) {
      const s = pool.snapshot()
      const before = this.lentAt.get(pool)
      for (const key of Object.keys(sum) as (keyof PoolCounters)[]) sum[key] += s[key] - (before?.[key] ?? 0)
    }
    return sum
  }
}

export async function runTask(options: TaskRunOptions, run = new TaskRun()): Promise<TaskRunResult> {
  const { task, params } = options
  const taskId = task.id
  const stop = new AbortController()
  // A task's pools and processes each listen on this one signal (the engine adds one listener per
  // call, not per unit), and a task may start more than Node's warning threshold of ten.
  setMaxListeners(0, stop.signal)
  const onStop = () => stop.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onStop, { once: true })
  let durationTimer: NodeJS.Timeout | undefined
  if (options.durationMs !== undefined) durationTimer = setTimeout(() => stop.abort('duration reached'), options.durationMs)
  const tempDirs: string[] = []
  let startupMs = 0
  let startedAt = performance.now()

  const ctx: TaskContext<Record<string, unknown>> = {
    params,
    workers: options.workers,
    backend: options.backend,
    chunksize: options.chunksize,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    durationMs: options.durationMs,
    signal: stop.signal,
    async createPool(overrides = {}) {
      if (options.inline) {
        startedAt = performance.now()
        return new InlinePool()
      }
      const lent = options.pool
      if (lent && run.lentAt.size === 0 && run.pools.length === 0 && Object.keys(overrides).length === 0) {
        run.lentAt.set(lent, lent.snapshot())
        run.pools.push(lent)
        if (options.onSpans) lent.on('spans', options.onSpans)
        options.onPool?.(lent)
        await lent.ready()
        startedAt = performance.now()
        return lent
      }
      const createdAt = performance.now()
      const pool = (options.createPool ?? ((poolOptions: PoolOptions) => new Pool(poolOptions)))({
        workers: options.workers,
        backend: options.backend,
        taskTimeoutMs: options.timeoutMs,
        retries: options.retries,
        name: taskId,
        // The task's module (zod and all) loads while the pool starts, not inside the first unit's time.
        preload: [taskId],
        ...(options.workerScript ? { workerScript: options.workerScript } : {}),
        ...overrides
      })
      run.pools.push(pool)
      if (options.onSpans) pool.on('spans', options.onSpans)
      options.onPool?.(pool)
      await pool.ready()
      // Start-up is reported apart: the wall clock starts when the first pool is ready.
      if (run.pools.length === 1) {
        startupMs = performance.now() - createdAt
        startedAt = performance.now()
      }
      return pool
    },
    createProcess(processOptions) {
      const process = new Process({ ...processOptions, ...(options.workerScript ? { workerScript: options.workerScript } : {}) })
      run.processes.push(process)
      options.onProcess?.(process)
      return process
    },
    progress(done, total) {
      run.progress = { done, total }
    },
    log(line) {
      options.onLog?.(line)
    },
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), `poolscope-${taskId}-`))
      tempDirs.push(dir)
      return dir
    }
  }

  let outcome: Awaited<ReturnType<typeof task.run>> | undefined
  let error: unknown
  try {
    outcome = await task.run(ctx)
  } catch (err) {
    error = err
  } finally {
    clearTimeout(durationTimer)
    options.signal?.removeEventListener('abort', onStop)
  }
  const wallMs = performance.now() - startedAt
  const counters = run.counters()
  // A lent pool goes back to its owner only when it is clean: a run that failed or was stopped
  // may have left work of its own in it, so that pool is terminated like the others.
  const isClean = !error && options.signal?.aborted !== true && counters.pending === 0 && counters.running === 0
  const toTerminate = run.pools.filter((pool) => !(isClean && run.lentAt.has(pool)))
  for (const pool of run.lentAt.keys()) if (options.onSpans) pool.off('spans', options.onSpans)
  await Promise.all([
    ...toTerminate.map((pool) => pool.terminate()),
    ...run.processes.map(async (p) => {
      if (p.isAlive()) {
        p.kill()
        await p.join()
      }
    }),
    ...tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))
  ])
  const stoppedByUser = options.signal?.aborted === true
  const ok = !error && !stoppedByUser && outcome !== undefined && outcome.check.ok && counters.inputsFailed === 0
  const tasks = counters.inputsSubmitted
  return {
    taskId,
    params,
    ok,
    state: stoppedByUser ? 'stopped' : ok ? 'succeeded' : 'failed',
    result: outcome?.result,
    check: outcome?.check,
    error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
    stats: {
      tasks,
      completed: counters.inputsCompleted,
      failed: counters.inputsFailed,
      retried: counters.retried,
      crashedWorkers: counters.crashedWorkers,
      startupMs: round(startupMs),
      wallMs: round(wallMs),
      tasksPerSec: wallMs > 0 ? round((counters.inputsCompleted / wallMs) * 1000) : 0
    }
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}
