import type { Point } from './series-window'

/**
 * A whole run's history in at most `capacity` points per series, for runs of any length. Points
 * are kept on a stride grid (every 1st, then every 2nd, 4th… sample): when the grid fills up, every
 * other kept point is dropped and the stride doubles, so resolution stays even across the run. The
 * newest sample is always shown, as a provisional last point, so the line reaches "now".
 *
 * Like {@link SeriesWindow}, the arrays are mutated in place for chart.js.
 */
export class DecimatingSeries {
  readonly series: Point[][]
  private stride = 1
  private appended = 0
  private hasProvisional = false

  constructor(
    seriesCount: number,
    readonly capacity: number
  ) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`)
    this.series = Array.from({ length: seriesCount }, () => [])
  }

  /** Current sampling stride: 1 until the first compaction. */
  get currentStride(): number {
    return this.stride
  }

  append(x: number, values: readonly number[]): void {
    if (this.hasProvisional) for (const points of this.series) points.pop()
    const index = this.appended++
    for (let i = 0; i < this.series.length; i++) this.series[i]!.push({ x, y: values[i] ?? 0 })
    this.hasProvisional = index % this.stride !== 0
    const kept = this.series[0]!.length - (this.hasProvisional ? 1 : 0)
    if (kept > this.capacity) this.compact()
  }

  clear(): void {
    for (const points of this.series) points.splice(0, points.length)
    this.stride = 1
    this.appended = 0
    this.hasProvisional = false
  }

  private compact(): void {
    let isNewestOffGrid = false
    for (const points of this.series) {
      const newest = points[points.length - 1]!
      const onGrid = points.length - (this.hasProvisional ? 1 : 0)
      let write = 0
      for (let read = 0; read < onGrid; read += 2) points[write++] = points[read]!
      // The newest sample must survive compaction even when it falls off the doubled grid.
      if (points[write - 1] !== newest) {
        points[write++] = newest
        isNewestOffGrid = true
      }
      points.splice(write)
    }
    this.hasProvisional = isNewestOffGrid
    this.stride *= 2
  }
}
