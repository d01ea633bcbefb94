import { describe, expect, it } from 'vitest'
import { buildColorLut, fillHeatPixels, interpolateStops, parseColor, rgbText, seriesColor, withAlpha, type Rgb } from '../../../../renderer/src/lib/color-scale'

describe('parseColor', () => {
  it('reads short and long hex and rgb() forms', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255])
    expect(parseColor(' #1F6f8B ')).toEqual([31, 111, 139])
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3])
    expect(parseColor('rgb(1 2 3 / 0.5)')).toEqual([1, 2, 3])
  })

  it('returns undefined for anything it does not understand', () => {
    expect(parseColor('red')).toBeUndefined()
    expect(parseColor('#12')).toBeUndefined()
    expect(parseColor('rgb(300, 0, 0)')).toBeUndefined()
  })
})

describe('interpolateStops', () => {
  const stops: Rgb[] = [
    [0, 0, 0],
    [100, 200, 50],
    [200, 0, 100]
  ]

  it('hits the stops at their positions and interpolates between them', () => {
    expect(interpolateStops(stops, 0)).toEqual([0, 0, 0])
    expect(interpolateStops(stops, 0.5)).toEqual([100, 200, 50])
    expect(interpolateStops(stops, 1)).toEqual([200, 0, 100])
    expect(interpolateStops(stops, 0.25)).toEqual([50, 100, 25])
  })

  it('clamps out-of-range and non-finite positions', () => {
    expect(interpolateStops(stops, -1)).toEqual([0, 0, 0])
    expect(interpolateStops(stops, 7)).toEqual([200, 0, 100])
    expect(interpolateStops(stops, Number.NaN)).toEqual([0, 0, 0])
  })
})

describe('heat-map pixels', () => {
  const lut = buildColorLut([
    [0, 0, 0],
    [255, 0, 0]
  ])

  it('builds a 101-step table from cold to hot', () => {
    expect(lut.length).toBe(101 * 4)
    expect([...lut.slice(0, 4)]).toEqual([0, 0, 0, 255])
    expect([...lut.slice(100 * 4)]).toEqual([255, 0, 0, 255])
  })

  it('puts column c, row r at pixel (c, r), clamping values and leaving gaps transparent', () => {
    const out = new Uint8ClampedArray(2 * 2 * 4)
    fillHeatPixels(
      out,
      [
        [0, 100],
        [250, Number.NaN]
      ],
      2,
      lut
    )
    const pixel = (c: number, r: number) => [...out.slice((r * 2 + c) * 4, (r * 2 + c) * 4 + 4)]
    expect(pixel(0, 0)).toEqual([0, 0, 0, 255])
    expect(pixel(0, 1)).toEqual([255, 0, 0, 255])
    expect(pixel(1, 0)).toEqual([255, 0, 0, 255])
    expect(pixel(1, 1)).toEqual([0, 0, 0, 0])
  })
})

describe('colour helpers', () => {
  it('writes rgb() text with optional alpha, and adds alpha to parseable colours only', () => {
    expect(rgbText([1, 2, 3])).toBe('rgb(1 2 3)')
    expect(withAlpha('#ff0000', 0.5)).toBe('rgb(255 0 0 / 0.5)')
    expect(withAlpha('currentColor', 0.5)).toBe('currentColor')
  })

  it('gives neighbouring series different hues, lighter on dark backgrounds', () => {
    expect(seriesColor(0, true)).not.toBe(seriesColor(1, true))
    expect(seriesColor(3, true)).toMatch(/65%\)$/)
    expect(seriesColor(3, false)).toMatch(/42%\)$/)
  })
})
