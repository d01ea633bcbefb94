/** A chart point as chart.js reads it with `parsing: false`. */
export interface Point {
  x: number
  y: number
}

/**
 * One point array per series over a sliding time window. The arrays are the very ones chart.js
 * datasets hold: appending and trimming mutate them in place, so a chart is updated with
 * `chart.update('none')` and never rebuilt, and no array grows past the window.
 */
export class SeriesWindow {
  readonly series: Point[][]
  private lastX = Number.NEGATIVE_INFINITY

  /**
   * @param seriesCount number of series (one per core, say)
   * @param windowMs how far back from the newest point to keep
   * @param maxPoints hard cap per series, whatever the sampling rate
   */
  constructor(
    seriesCount: number,
    readonly windowMs: number,
    readonly maxPoints: number
  ) {
    this.series = Array.from({ length: seriesCount }, () => [])
  }

  get newestX(): number | undefined {
    return Number.isFinite(this.lastX) ? this.lastX : undefined
  }

  /**
   * Appends one x with a value per series (missing values are skipped for that series). Points not
   * newer than the newest one are ignored, so replaying overlapping history is harmless.
   */
  append(x: number, values: readonly (number | undefined)[]): boolean {
    if (!(x > this.lastX)) return false
    this.lastX = x
    for (let i = 0; i < this.series.length; i++) {
      const y = values[i]
      if (y !== undefined && Number.isFinite(y)) this.series[i]!.push({ x, y })
    }
    return true
  }

  /** Drops points older than the window before `now` (default: the newest x) and beyond the cap. */
  trim(now: number = this.lastX): void {
    const cutoff = now - this.windowMs
    for (const points of this.series) {
      let drop = 0
      while (drop < points.length && points[drop]!.x < cutoff) drop++
      drop = Math.max(drop, points.length - this.maxPoints)
      // One splice, not a loop of shift(): chart.js hooks array mutators, one call is one resync.
      if (drop > 0) points.splice(0, drop)
    }
  }

  clear(): void {
    for (const points of this.series) points.splice(0, points.length)
    this.lastX = Number.NEGATIVE_INFINITY
  }
}
