/** An sRGB colour as three 0..255 channels. */
export type Rgb = readonly [number, number, number]

/**
 * Parses the colour forms our theme variables use: `#rgb`, `#rrggbb` and `rgb(r, g, b)` /
 * `rgb(r g b)`. Returns `undefined` for anything else, so a typo in CSS falls back instead of
 * painting black.
 */
export function parseColor(css: string): Rgb | undefined {
  const text = css.trim().toLowerCase()
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text)
  if (hex) {
    const digits = hex[1]!
    const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb
  }
  const fn = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/.exec(text)
  if (fn) {
    const channels = [fn[1], fn[2], fn[3]].map(Number)
    if (channels.every((c) => c <= 255)) return channels as unknown as Rgb
  }
  return undefined
}

/** `rgb(r g b)` text for a colour, optionally with alpha (0..1). */
export function rgbText([r, g, b]: Rgb, alpha?: number): string {
  return alpha === undefined ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`
}

/** The colour at `t` (clamped to 0..1) along evenly spaced stops, interpolated linearly. */
export function interpolateStops(stops: readonly Rgb[], t: number): Rgb {
  if (stops.length === 0) throw new RangeError('a colour scale needs at least one stop')
  if (stops.length === 1) return stops[0]!
  const clamped = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0
  const position = clamped * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(position))
  const f = position - i
  const a = stops[i]!
  const b = stops[i + 1]!
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as unknown as Rgb
}

/**
 * A lookup table of `steps` RGBA colours (4 bytes each) spanning the stops: index `round(p)` for a
 * percentage `p` when `steps` is 101. Heat maps look colours up per cell, so they are computed once
 * per theme, not per pixel.
 */
export function buildColorLut(stops: readonly Rgb[], steps = 101): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(steps * 4)
  for (let i = 0; i < steps; i++) {
    const [r, g, b] = interpolateStops(stops, steps === 1 ? 0 : i / (steps - 1))
    lut.set([r, g, b, 255], i * 4)
  }
  return lut
}

/**
 * Fills RGBA pixels for a heat map of percentages: `columns[c][r]` (0..100) becomes pixel (c, r) of
 * an image `columns.length` wide and `rows` high. Values out of range are clamped; missing or
 * non-finite cells stay transparent.
 *
 * @param out at least `columns.length * rows * 4` bytes (an `ImageData`'s data)
 * @param lut from {@link buildColorLut} with 101 steps
 */
export function fillHeatPixels(
  out: Uint8ClampedArray,
  columns: readonly (readonly number[])[],
  rows: number,
  lut: Uint8ClampedArray
): void {
  const width = columns.length
  const steps = lut.length / 4
  out.fill(0, 0, width * rows * 4)
  for (let c = 0; c < width; c++) {
    const column = columns[c]!
    for (let r = 0; r < rows; r++) {
      const value = column[r]
      if (value === undefined || !Number.isFinite(value)) continue
      const step = Math.round((Math.min(100, Math.max(0, value)) / 100) * (steps - 1))
      const o = (r * width + c) * 4
      const l = step * 4
      out[o] = lut[l]!
      out[o + 1] = lut[l + 1]!
      out[o + 2] = lut[l + 2]!
      out[o + 3] = lut[l + 3]!
    }
  }
}

/**
 * A distinct, theme-neutral colour per series (cores in the line chart): hues spread by the golden
 * angle so neighbours differ, at a lightness readable on both light and dark backgrounds.
 */
export function seriesColor(index: number, isDark: boolean): string {
  const hue = (index * 137.508 + 200) % 360
  return isDark ? `hsl(${hue.toFixed(1)} 70% 65%)` : `hsl(${hue.toFixed(1)} 65% 42%)`
}

/** A CSS colour at the given opacity (0..1), or the colour as given when it cannot be parsed. */
export function withAlpha(css: string, alpha: number): string {
  const rgb = parseColor(css)
  return rgb ? rgbText(rgb, alpha) : css
}
