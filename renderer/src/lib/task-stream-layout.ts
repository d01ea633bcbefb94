import type { UnitSpanDto } from '../../../shared/contract'

/** The visible time range, epoch ms. */
export interface TimeWindow {
  startMs: number
  endMs: number
}

export interface Lane {
  workerId: number
  /** Top of the lane's bar, px. */
  y: number
  height: number
}

export interface SpanRect {
  x: number
  y: number
  width: number
  height: number
  span: UnitSpanDto
}

export interface LaneOptions {
  /** Space above the first lane, px (room for the time axis labels is left to the caller). */
  top?: number
  /** Gap between lanes, px. */
  gap?: number
  /** Lanes never grow taller than this, px, so two workers do not become two slabs. */
  maxLaneHeight?: number
}

/** The worker ids to draw lanes for: the pool's workers plus any seen only in spans, ascending. */
export function laneIds(workerIds: Iterable<number>, spans: Iterable<UnitSpanDto>): number[] {
  const ids = new Set(workerIds)
  for (const span of spans) ids.add(span.workerId)
  return [...ids].sort((a, b) => a - b)
}

/** One lane per worker, stacked from the top, sharing `height` px. */
export function layoutLanes(workerIds: readonly number[], height: number, options: LaneOptions = {}): Map<number, Lane> {
  const { top = 0, gap = 2, maxLaneHeight = 28 } = options
  const lanes = new Map<number, Lane>()
  const n = workerIds.length
  if (n === 0) return lanes
  const laneHeight = Math.max(1, Math.min(maxLaneHeight, (height - top - gap * (n - 1)) / n))
  workerIds.forEach((workerId, i) => lanes.set(workerId, { workerId, y: top + i * (laneHeight + gap), height: laneHeight }))
  return lanes
}

/** Maps a time to an x in `[0, width]` px across the window. */
export function timeToX(t: number, window: TimeWindow, width: number): number {
  const span = window.endMs - window.startMs
  return span <= 0 ? 0 : ((t - window.startMs) / span) * width
}

/**
 * The rectangle of one span, clipped to the window, or `undefined` when it lies outside the window
 * or on no lane. Bars are at least one pixel wide so that very short tasks stay visible.
 */
export function spanRect(span: UnitSpanDto, lane: Lane | undefined, window: TimeWindow, width: number): SpanRect | undefined {
  if (!lane || span.endedAt < window.startMs || span.startedAt > window.endMs) return undefined
  const x0 = Math.max(0, timeToX(span.startedAt, window, width))
  const x1 = Math.min(width, timeToX(span.endedAt, window, width))
  return { x: x0, y: lane.y, width: Math.max(1, x1 - x0), height: lane.height, span }
}

/** The span under a point, preferring the newest when bars overlap at that pixel. */
export function hitTestSpan(
  spans: Iterable<UnitSpanDto>,
  lanes: ReadonlyMap<number, Lane>,
  window: TimeWindow,
  width: number,
  px: number,
  py: number
): UnitSpanDto | undefined {
  let hit: UnitSpanDto | undefined
  for (const span of spans) {
    const rect = spanRect(span, lanes.get(span.workerId), window, width)
    if (rect && px >= rect.x - 1 && px <= rect.x + rect.width + 1 && py >= rect.y && py <= rect.y + rect.height) hit = span
  }
  return hit
}

/**
 * The window to show: the last `widthMs` up to `nowMs` while the run is live, and the run's own
 * extent once it is over (so finished runs do not scroll out of view).
 */
export function streamWindow(nowMs: number, widthMs: number, lastSpanEndMs: number | undefined, isLive: boolean): TimeWindow {
  const end = isLive || lastSpanEndMs === undefined ? nowMs : lastSpanEndMs
  return { startMs: end - widthMs, endMs: end }
}
