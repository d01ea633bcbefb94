/**
 * Turns measured run times into the report's numbers: per-series statistics, speedup, efficiency,
 * Karp–Flatt and the Amdahl fit. Separate from the runner so the arithmetic is tested on exact
 * inputs, without timing anything.
 */
import type { BenchReport, BenchResultRow } from '../../../shared/contract'
import { amdahlSpeedup, efficiency, fitAmdahl, karpFlatt, seriesStats, speedup } from './statistics'

/** The timed runs of one series and the machine's per-core busy % while they ran. */
export interface MeasuredRuns {
  runsMs: number[]
  coreBusyPercent: number[]
}

/** The timed runs of one worker count. */
export interface MeasuredSeries extends MeasuredRuns {
  workers: number
}

/** The numeric part of a report. */
export type BenchAnalysis = Pick<BenchReport, 'baseline' | 'results' | 'amdahl'>

/** Projections are for machines with this many times the measured core count. */
export const AMDAHL_PROJECTION_FACTORS = [2, 4] as const

/**
 * How many cores N workers can actually use on a machine with `cores` cores. Karp–Flatt and
 * Amdahl's law are stated for N *processors*; 8 workers sharing 2 cores are 2 processors, and
 * counting them as 8 would blame the core count on the program's serial fraction.
 */
export function effectiveProcessors(workers: number, cores: number): number {
  return Math.max(1, Math.min(workers, cores))
}

/**
 * Computes speedup (baseline median / series median), efficiency (speedup / workers), Karp–Flatt
 * (over effective processors) and the least-squares Amdahl fit with projections to 2× and 4× the
 * core count. With no series using more than one core there is nothing to fit: the serial fraction
 * is then reported as 1 (no parallelism shown), and the warnings say so.
 */
export function analyseBench(baseline: MeasuredRuns, series: readonly MeasuredSeries[], cores: number): BenchAnalysis {
  const baselineStats = seriesStats(baseline.runsMs)
  const results: BenchResultRow[] = series.map((s) => {
    const stats = seriesStats(s.runsMs)
    const ratio = speedup(baselineStats.medianMs, stats.medianMs)
    return {
      workers: s.workers,
      ...stats,
      speedup: ratio,
      efficiency: efficiency(ratio, s.workers),
      karpFlatt: karpFlatt(ratio, effectiveProcessors(s.workers, cores)),
      coreBusyPercent: [...s.coreBusyPercent]
    }
  })
  const serialFraction =
    fitAmdahl(results.map((r) => ({ workers: effectiveProcessors(r.workers, cores), speedup: r.speedup }))) ?? 1
  return {
    baseline: { ...baselineStats, coreBusyPercent: [...baseline.coreBusyPercent] },
    results,
    amdahl: {
      serialFraction,
      projected: AMDAHL_PROJECTION_FACTORS.map((factor) => ({
        workers: factor * cores,
        speedup: amdahlSpeedup(serialFraction, factor * cores)
      }))
    }
  }
}
