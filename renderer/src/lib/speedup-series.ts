import type { BenchReport } from '../../../preload/contract'

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
  /** Right end of the worker axis: the largest measured count. */
  xMax: number
  /** Top of the speedup axis: measured whiskers, Amdahl, and the ideal line up to the largest measured count. */
  yMax: number
}

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
  return { measured, efficiency, ideal, amdahl, projected, projectedBeyond, workers, xMax, yMax }
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
