import { describe, expect, it } from 'vitest'
import { hitTestSpan, laneIds, layoutLanes, spanRect, streamWindow, timeToX } from '../../../../renderer/src/lib/task-stream-layout'
import { span } from '../../fixtures'

const window = { startMs: 1000, endMs: 2000 }

describe('lanes', () => {
  it('gives every worker a lane, including workers seen only in spans, in id order', () => {
    expect(laneIds([2, 0], [span(1, 5, 0, 1), span(2, 0, 0, 1)])).toEqual([0, 2, 5])
  })

  it('stacks lanes from the top and shares the height, up to a maximum lane height', () => {
    const lanes = layoutLanes([0, 1], 100, { top: 10, gap: 2, maxLaneHeight: 20 })
    expect(lanes.get(0)).toEqual({ workerId: 0, y: 10, height: 20 })
    expect(lanes.get(1)).toEqual({ workerId: 1, y: 32, height: 20 })
    const crowded = layoutLanes([0, 1, 2, 3], 42, { gap: 2 })
    expect(crowded.get(3)!.y + crowded.get(3)!.height).toBeCloseTo(42)
  })
})

describe('spanRect', () => {
  const lane = { workerId: 0, y: 4, height: 10 }

  it('places a span by its start and end across the window', () => {
    expect(timeToX(1500, window, 200)).toBe(100)
    expect(spanRect(span(1, 0, 1250, 1500), lane, window, 200)).toMatchObject({ x: 50, width: 50, y: 4, height: 10 })
  })

  it('clips spans at the window edges and drops those outside it', () => {
    expect(spanRect(span(1, 0, 500, 1100), lane, window, 200)).toMatchObject({ x: 0, width: 20 })
    expect(spanRect(span(1, 0, 100, 900), lane, window, 200)).toBeUndefined()
    expect(spanRect(span(1, 0, 2100, 2200), lane, window, 200)).toBeUndefined()
    expect(spanRect(span(1, 0, 1100, 1200), undefined, window, 200)).toBeUndefined()
  })

  it('keeps very short tasks one pixel wide so they stay visible', () => {
    expect(spanRect(span(1, 0, 1500, 1500), lane, window, 200)!.width).toBe(1)
  })
})

describe('hitTestSpan', () => {
  it('finds the span under the pointer, on the right lane', () => {
    const lanes = layoutLanes([0, 1], 40, { gap: 0, maxLaneHeight: 20 })
    const spans = [span(1, 0, 1000, 1500), span(2, 1, 1000, 1500), span(3, 0, 1500, 2000)]
    expect(hitTestSpan(spans, lanes, window, 100, 25, 5)?.unitId).toBe(1)
    expect(hitTestSpan(spans, lanes, window, 100, 25, 25)?.unitId).toBe(2)
    expect(hitTestSpan(spans, lanes, window, 100, 75, 5)?.unitId).toBe(3)
    expect(hitTestSpan(spans, lanes, window, 100, 75, 39)).toBeUndefined()
  })
})

describe('streamWindow', () => {
  it('follows now while live and freezes on the last span once the run is over', () => {
    expect(streamWindow(10_000, 5000, 8000, true)).toEqual({ startMs: 5000, endMs: 10_000 })
    expect(streamWindow(10_000, 5000, 8000, false)).toEqual({ startMs: 3000, endMs: 8000 })
    expect(streamWindow(10_000, 5000, undefined, false)).toEqual({ startMs: 5000, endMs: 10_000 })
  })
})
