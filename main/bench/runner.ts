/**
 * Runs a speedup benchmark: the single-process baseline timed `runs` times after `warmup` untimed
 * warm-ups, then each worker count the same way, with the machine's per-core busy % recorded over
 * each series' timed runs. What is timed is injected as a {@link BenchTarget}; the clock, the core
 * counter and the core count are injected too, so tests check the arithmetic without timing real
 * work.
 */
import os from 'node:os'
import type { BenchProgress, BenchReport } from '../../shared/contract'
import { analyseBench, type MeasuredRuns } from './analysis/bench-analysis'
import { createBenchId } from './report/bench-id'
import type { BenchTarget } from './targets/bench-target'
import { benchWarnings } from './analysis/bench-warnings'
import { startCoreUsage, type CoreUsageWindow } from './analysis/core-usage'
import { formatWorkers } from './report/format'

/** A finished benchmark before it is saved: history assigns where it lives. */
export type UnsavedBenchReport = Omit<BenchReport, 'id' | 'file'>

/** Timed runs per series when not given (the same default as the `bench:start` request). */
export const DEFAULT_RUNS = 3
/** Untimed warm-up runs per series when not given (matches the `bench:start` default). */
export const DEFAULT_WARMUP = 1

/**
 * In progress events, the baseline (and its warm-ups) report this worker count: the baseline runs
 * without a pool, and 1 would be mistaken for the 1-worker series.
 */
export const BASELINE_PROGRESS_WORKERS = 0

/** How to run a benchmark; every field has a default. */
export interface BenchOptions {
  /** Worker counts to measure; default {@link defaultWorkerCounts}. Deduplicated and sorted. */
  workers?: readonly number[]
  /** Timed runs per series, at least 1. */
  runs?: number
  /** Untimed runs before each series' timed runs, at least 0. */
  warmup?: number
  /** Aborting stops the benchmark: the running job is told through its own signal, then the run rejects. */
  signal?: AbortSignal
  /** Called as each run starts, warm-ups included. */
  onProgress?: (progress: BenchProgress) => void
  /** The id progress events carry; pass the same id to `BenchHistory.save` so they match. */
  benchId?: string
  /** Logical cores of the machine; default `os.availableParallelism()`. */
  cores?: number
  /** A monotonic clock in milliseconds; default `performance.now`. */
  clockMs?: () => number
  /** Wall-clock time for `createdAt`; default `new Date()`. */
  now?: () => Date
  /** Opens a per-core busy window; default {@link startCoreUsage}. */
  startCoreUsage?: () => CoreUsageWindow
}

/** 1, 2, 4, … up to `cores`, plus `cores` itself when it is not a power of two: [1, 2, 4, 6] for 6. */
export function defaultWorkerCounts(cores: number): number[] {
  const counts: number[] = []
  for (let n = 1; n <= cores; n *= 2) counts.push(n)
  if (counts.at(-1) !== cores && cores >= 1) counts.push(cores)
  return counts
}

function requireInteger(name: string, value: number, least: number): void {
  if (!Number.isInteger(value) || value < least) {
    throw new RangeError(`${name} must be a whole number of at least ${least}, got ${value}`)
  }
}

/** Validated worker counts: whole, positive, each once, ascending. */
function normaliseWorkers(workers: readonly number[]): number[] {
  if (workers.length === 0) throw new RangeError('workers must list at least one worker count')
  for (const n of workers) requireInteger('every worker count', n, 1)
  return [...new Set(workers)].sort((a, b) => a - b)
}

/**
 * Runs the benchmark and returns its report (without `id` and `file`, which saving assigns).
 * Rejects when a run fails, with an error that names the run and has the target's error as its
 * cause, and with the signal's reason when aborted.
 */
export async function runBench(target: BenchTarget, options: BenchOptions = {}): Promise<UnsavedBenchReport> {
  const now = options.now ?? (() => new Date())
  const createdAt = now()
  const cores = options.cores ?? os.availableParallelism()
  const workers = normaliseWorkers(options.workers ?? defaultWorkerCounts(cores))
  const runs = options.runs ?? DEFAULT_RUNS
  const warmup = options.warmup ?? DEFAULT_WARMUP
  requireInteger('runs', runs, 1)
  requireInteger('warmup', warmup, 0)
  const signal = options.signal ?? new AbortController().signal
  const clockMs = options.clockMs ?? (() => performance.now())
  const openCoreUsage = options.startCoreUsage ?? (() => startCoreUsage())
  const benchId = options.benchId ?? createBenchId(createdAt)

  const total = (warmup + runs) * (1 + workers.length)
  let done = 0

  /**
   * One run of a job. A failure says which run it was: a command that fails only with many
   * workers reads differently from one that cannot run at all.
   */
  const runOnce = async (job: () => Promise<void | number>, progress: BenchProgress): Promise<void | number> => {
    try {
      return await job()
    } catch (err) {
      if (signal.aborted || !(err instanceof Error)) throw err
      throw new Error(`${failedRunLabel(progress)} failed: ${err.message}`, { cause: err })
    }
  }

  /** Warm-ups, then timed runs of one series; the core window spans exactly the timed runs. */
  const timedSeries = async (
    progressWorkers: number,
    job: () => Promise<void | number>,
    timedPhase: BenchProgress['phase']
  ): Promise<MeasuredRuns> => {
    for (let i = 1; i <= warmup; i++) {
      signal.throwIfAborted()
      const progress: BenchProgress = { benchId, phase: 'warmup', workers: progressWorkers, run: i, of: warmup, done, total }
      options.onProgress?.(progress)
      await runOnce(job, progress)
      done++
    }
    const runsMs: number[] = []
    const usage = openCoreUsage()
    for (let i = 1; i <= runs; i++) {
      signal.throwIfAborted()
      const progress: BenchProgress = { benchId, phase: timedPhase, workers: progressWorkers, run: i, of: runs, done, total }
      options.onProgress?.(progress)
      const startMs = clockMs()
      const workMs = await runOnce(job, progress)
      // A target may time its own work (excluding set-up such as pool start-up); prefer that.
      runsMs.push(typeof workMs === 'number' ? workMs : clockMs() - startMs)
      done++
    }
    const coreBusyPercent = usage.stop()
    // A job that ignores the signal and finishes anyway must not count as a finished benchmark.
    signal.throwIfAborted()
    return { runsMs, coreBusyPercent }
  }

  let baseline: MeasuredRuns
  const series = []
  try {
    baseline = await timedSeries(BASELINE_PROGRESS_WORKERS, () => target.baseline(signal), 'baseline')
    for (const n of workers) {
      series.push({ workers: n, ...(await timedSeries(n, () => target.run(n, signal), 'run')) })
    }
  } finally {
    await target.close?.()
  }

  const analysis = analyseBench(baseline, series, cores)
  return {
    createdAt: createdAt.toISOString(),
    ...target.describe,
    cores,
    ...analysis,
    warnings: benchWarnings(analysis, cores)
  }
}

/** Where a failed run was, for its error: "the baseline's warm-up 1 of 1", "2 workers' timed run 3 of 5". */
function failedRunLabel(p: BenchProgress): string {
  const what =
    p.workers === BASELINE_PROGRESS_WORKERS ? "the baseline's" : p.workers === 1 ? "1 worker's" : `${formatWorkers(p.workers)}'`
  const kind = p.phase === 'warmup' ? 'warm-up' : 'timed run'
  return `${what} ${kind} ${p.run} of ${p.of}`
}
