/**
 * The sentences under a benchmark's table: which runs to distrust (outliers, wide spread, a busy
 * machine) and what the core utilisation says about each speedup. Each is one line a person can
 * act on, with the numbers that triggered it.
 */
import type { SeriesStats } from '../../../shared/contract'
import { formatMs, formatPercent, formatSpeedup, formatWorkers } from '../report/format'
import { effectiveProcessors, type BenchAnalysis } from './bench-analysis'
import { coefficientOfVariation, findOutliers, isWideSpread } from './statistics'

/**
 * The baseline is one process, so it should keep about one core busy. Above this many cores'
 * worth, something else was running (or the "single-process" baseline is itself parallel), and
 * every speedup divides by a baseline that had help.
 */
export const BASELINE_BUSY_CORES_LIMIT = 1.5

/** Below this share of the usable cores busy, the workers were mostly waiting. */
export const IDLE_BUSY_PERCENT = 75

/** Below this speedup per usable core, busy cores were doing something other than the work. */
export const LOW_EFFICIENCY = 0.75

/** A 1-worker pool slower than this fraction of the baseline is worth explaining. */
export const POOL_OVERHEAD_SPEEDUP = 0.9

/** Above this multiple of the usable cores, a speedup is superlinear. */
export const SUPERLINEAR_FACTOR = 1.1

/**
 * A run is named as an outlier only when it is also this far from its series' median. With few
 * runs the median absolute deviation can be tiny (three runs of 157, 157.1 and 159 ms have a MAD
 * of 0.1 ms), and the modified Z-score then flags a run 1 % off, which changes no speedup anyone
 * reads. 5 % of a 2× speedup is 0.1×, the digit people compare.
 */
export const OUTLIER_MIN_DEVIATION = 0.05

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function outlierWarnings(label: string, stats: SeriesStats): string[] {
  return findOutliers(stats.runsMs)
    .filter((i) => Math.abs(stats.runsMs[i] - stats.medianMs) > OUTLIER_MIN_DEVIATION * stats.medianMs)
    .map((i) => `run ${i + 1} of ${label} is an outlier (${formatMs(stats.runsMs[i])} vs median ${formatMs(stats.medianMs)})`)
}

function spreadWarning(label: string, stats: SeriesStats): string[] {
  if (!isWideSpread(stats)) return []
  const percent = formatPercent(coefficientOfVariation(stats), true)
  return [
    `${label}: runs spread widely (stddev ${formatMs(stats.stddevMs)} is ${percent} of the mean ${formatMs(stats.meanMs)}); ` +
      'close other programs or add runs'
  ]
}

function coresPhrase(usedCores: number, cores: number, busyCores: number, busyPercent: number): string {
  if (usedCores < cores) {
    return `the equivalent of ${busyCores.toFixed(1)} cores busy, ${formatPercent(busyPercent)} of ${usedCores}`
  }
  const which = cores === 1 ? 'the core' : cores === 2 ? 'both cores' : `all ${cores} cores`
  return `${which} ${formatPercent(busyPercent)} busy`
}

function utilisationNote(row: BenchAnalysis['results'][number], cores: number): string[] {
  if (row.coreBusyPercent.length === 0) return []
  const head = `${formatWorkers(row.workers)}, ${formatSpeedup(row.speedup)}`
  if (row.workers === 1) {
    if (row.speedup >= POOL_OVERHEAD_SPEEDUP) return []
    const costPercent = formatPercent(1 - row.speedup, true)
    return [`${head} — running through the pool costs ${costPercent} against the single-process baseline (start-up and hand-off)`]
  }
  const usedCores = effectiveProcessors(row.workers, cores)
  const busyCores = sum(row.coreBusyPercent) / 100
  const busyPercent = Math.min(100, (busyCores / usedCores) * 100)
  const ceiling = row.workers > cores ? `; ${row.workers} workers share ${cores} cores, so ${cores}× is the ceiling` : ''
  let why: string
  if (row.speedup > usedCores * SUPERLINEAR_FACTOR) {
    why =
      `faster than ${usedCores}× on ${usedCores} cores: usually caches (each worker's share fits where the whole did not) ` +
      'or a baseline slowed by something else'
  } else if (busyPercent < IDLE_BUSY_PERCENT) {
    why =
      `cores idle ${formatPercent(100 - busyPercent)}: the work is too small per task to cover start-up and hand-off, ` +
      'or part of it runs serially'
  } else if (row.speedup / usedCores < LOW_EFFICIENCY) {
    why =
      `cores ${formatPercent(busyPercent)} busy yet only ${formatSpeedup(row.speedup)}: the extra CPU time goes to overhead ` +
      '(start-up, copying inputs and results, contention for memory) or to other programs, not to the work'
  } else {
    why = coresPhrase(usedCores, cores, busyCores, busyPercent)
  }
  return [`${head} — ${why}${ceiling}`]
}

/**
 * All warnings and explanations for a benchmark, in reading order: the baseline's trustworthiness,
 * outliers, wide spreads, one utilisation note per worker count, and the Amdahl fit's limits.
 */
export function benchWarnings(analysis: BenchAnalysis, cores: number): string[] {
  const { baseline, results } = analysis
  const warnings: string[] = []

  const baselineBusyCores = sum(baseline.coreBusyPercent) / 100
  if (cores > 1 && baselineBusyCores > BASELINE_BUSY_CORES_LIMIT) {
    warnings.push(
      `the baseline kept ${baselineBusyCores.toFixed(1)} cores busy although it runs as one process: other programs are ` +
        'competing for the cores, or the baseline is itself parallel; speedups will read low'
    )
  }

  warnings.push(...outlierWarnings('the baseline', baseline))
  for (const row of results) warnings.push(...outlierWarnings(formatWorkers(row.workers), row))
  warnings.push(...spreadWarning('the baseline', baseline))
  for (const row of results) warnings.push(...spreadWarning(formatWorkers(row.workers), row))
  for (const row of results) warnings.push(...utilisationNote(row, cores))

  if (!results.some((row) => effectiveProcessors(row.workers, cores) > 1)) {
    warnings.push(
      'no run could use more than one core, so the Amdahl fit has nothing to go on (serial fraction shown as 100 %)'
    )
  }
  return warnings
}
