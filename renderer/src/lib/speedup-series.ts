import type { BenchProgress, BenchReport } from '../../../shared/contract'

/** A measured speedup with its spread: `yMin`/`yMax` from the slowest and fastest counted runs. */
export interface ErrorBarPoint {
  x: number
  y: number
  yMin: number
  yMax: number
}

export interface SpeedupSeries {
  measured: ErrorBarPoint[]
  /** Efficiency in percent (speedup ÷ workers × 100). */
  efficiency: { x: number; y: number }[]
  ideal: { x: number; y: number }[]
  /** Amdahl's law for the report's serial fraction, as a smooth curve over the x range. */
  amdahl: { x: number; y: number }[]
  /** The report's own projections within the measured range, drawn as markers. */
  projected: { x: number; y: number }[]
  /** Projections past the largest measured count: stated in words, so they do not squash the chart. */
  projectedBeyond: { x: number; y: number }[]
  workers: number[]
  /** The largest measured count. */
  xMax: number
  /**
   * The worker axis: the measured counts with a margin on each side, so the first and last points
   * and their whiskers are not drawn on the axes. It does not start at 0: with counts 1 and 2 an
   * axis from 0 would leave half the chart empty (0 workers measure nothing).
   */
  xAxis: { min: number; max: number }
  /** Top of the speedup axis: measured whiskers, Amdahl, and the ideal line up to the largest measured count. */
  yMax: number
}

/** The worker axis reaches this many workers past the outermost counts, at least. */
const X_MARGIN_MIN = 0.25
/** …or this share of the measured range, for long ranges. */
const X_MARGIN_FRACTION = 0.04

/** Speedup Amdahl's law predicts with `workers` for a serial fraction `f`: 1 / (f + (1 − f) / n). */
export function amdahlSpeedup(serialFraction: number, workers: number): number {
  const f = Math.min(1, Math.max(0, serialFraction))
  return 1 / (f + (1 - f) / workers)
}

/** Points along Amdahl's curve from `from` to `to` workers, enough for a smooth line. */
export function amdahlCurve(serialFraction: number, from: number, to: number, steps = 48): { x: number; y: number }[] {
  if (!(to > from)) return [{ x: from, y: amdahlSpeedup(serialFraction, from) }]
  return Array.from({ length: steps + 1 }, (_, i) => {
    const x = from + ((to - from) * i) / steps
    return { x, y: amdahlSpeedup(serialFraction, x) }
  })
}

/**
 * Chart series for a benchmark report. Speedup is measured against the baseline's median, so the
 * spread of each worker count is `baseline.median / max` .. `baseline.median / min`.
 */
export function speedupSeries(report: BenchReport): SpeedupSeries {
  const base = report.baseline.medianMs
  const rows = [...report.results].sort((a, b) => a.workers - b.workers)
  const measured = rows.map((row) => ({
    x: row.workers,
    y: row.speedup,
    yMin: row.maxMs > 0 ? base / row.maxMs : row.speedup,
    yMax: row.minMs > 0 ? base / row.minMs : row.speedup
  }))
  const efficiency = rows.map((row) => ({ x: row.workers, y: row.efficiency * 100 }))
  const workers = rows.map((row) => row.workers)
  const allProjected = [...report.amdahl.projected].sort((a, b) => a.workers - b.workers).map((p) => ({ x: p.workers, y: p.speedup }))
  const xMin = Math.min(1, ...workers)
  const xMax = Math.max(1, ...workers)
  const projected = allProjected.filter((p) => p.x <= xMax)
  const projectedBeyond = allProjected.filter((p) => p.x > xMax)
  const amdahl = amdahlCurve(report.amdahl.serialFraction, xMin, xMax)
  const ideal = [
    { x: xMin, y: xMin },
    { x: xMax, y: xMax }
  ]
  const yMax = Math.max(1, ...workers, ...measured.map((p) => p.yMax), ...projected.map((p) => p.y), ...amdahl.map((p) => p.y))
  const margin = Math.max(X_MARGIN_MIN, (xMax - xMin) * X_MARGIN_FRACTION)
  const xAxis = { min: Math.max(0, xMin - margin), max: xMax + margin }
  return { measured, efficiency, ideal, amdahl, projected, projectedBeyond, workers, xMax, xAxis, yMax }
}

/** One sentence stating what every speedup is relative to. */
export function describeBaseline(report: BenchReport): string {
  const what = report.task ? `task ${report.task}` : `command ${report.command ?? '?'}`
  const b = report.baseline
  const runs = `${b.runsMs.length} timed run${b.runsMs.length === 1 ? '' : 's'}`
  return `Baseline: ${what} in one process without a pool — median ${b.medianMs.toFixed(1)} ms over ${runs} (min ${b.minMs.toFixed(1)}, max ${b.maxMs.toFixed(
    1
  )} ms) on ${report.cores} cores. Every speedup is this median divided by the series' median.`
}

/** Amdahl's projections past the measured counts, in words: "8.3× at 16 workers, 11.5× at 32". */
export function describeProjection(series: SpeedupSeries): string | undefined {
  if (series.projectedBeyond.length === 0) return undefined
  return series.projectedBeyond.map((p, i) => `${p.y.toFixed(1)}× at ${p.x}${i === 0 ? ' workers' : ''}`).join(', ')
}

/** A readable name for a report in lists. */
export function reportTitle(report: BenchReport): string {
  return report.task ?? report.command ?? report.id
}

/** Where a running benchmark is: "baseline · warm-up 1 of 1", "2 workers · timed run 3 of 5". */
export function describeBenchStep(progress: BenchProgress | undefined): string {
  if (!progress) return 'Starting…'
  // The baseline runs without a pool and reports 0 workers.
  const series =
    progress.phase === 'baseline' || progress.workers === 0 ? 'baseline' : `${progress.workers} worker${progress.workers === 1 ? '' : 's'}`
  const what = progress.phase === 'warmup' ? 'warm-up' : 'timed run'
  return `${series} · ${what} ${progress.run} of ${progress.of}`
}

/** One line of a side-by-side comparison: a worker count (or the baseline) in two reports. */
export interface ComparisonRow {
  /** `undefined` for the baseline row. */
  workers: number | undefined
  /** Median time in ms in the first and second report; `undefined` where a report did not measure it. */
  medianMs: [number | undefined, number | undefined]
  speedup: [number | undefined, number | undefined]
  /** How much faster the second report's median is than the first's: 1.25 = 25 % faster. */
  ratio: number | undefined
}

/**
 * The two reports' numbers row by row: baseline first, then every worker count either measured.
 * The ratio compares times, not speedups, so it stays meaningful when the baselines differ.
 */
export function compareReports(first: BenchReport, second: BenchReport): ComparisonRow[] {
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined)
  const baseline: ComparisonRow = {
    workers: undefined,
    medianMs: [first.baseline.medianMs, second.baseline.medianMs],
    speedup: [1, 1],
    ratio: ratio(first.baseline.medianMs, second.baseline.medianMs)
  }
  const counts = [...new Set([...first.results, ...second.results].map((r) => r.workers))].sort((a, b) => a - b)
  const rows = counts.map((workers): ComparisonRow => {
    const a = first.results.find((r) => r.workers === workers)
    const b = second.results.find((r) => r.workers === workers)
    return { workers, medianMs: [a?.medianMs, b?.medianMs], speedup: [a?.speedup, b?.speedup], ratio: ratio(a?.medianMs, b?.medianMs) }
  })
  return [baseline, ...rows]
}

/**
 * One line saying what a chart shows, for its saved PNG, which leaves the app without the panel
 * around it: "heavy-sum (process) · n=1000 · 4 cores · 3 runs each · 2026-11-24 10:00 UTC".
 */
export function chartCaption(report: BenchReport): string {
  const what = report.task ? `${report.task}${report.backend ? ` (${report.backend})` : ''}` : (report.command ?? report.id)
  const params = report.task
    ? Object.entries(report.params)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(' ')
    : report.params.shell === true
      ? 'through the shell'
      : ''
  const runs = report.baseline.runsMs.length
  const when = `${report.createdAt.slice(0, 10)} ${report.createdAt.slice(11, 16)} UTC`
  return [what, params, `${report.cores} cores`, `${runs} run${runs === 1 ? '' : 's'} each`, when].filter((part) => part !== '').join(' · ')
}
