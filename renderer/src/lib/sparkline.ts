/**
 * Polyline points for a sparkline: values left to right across `width`, scaled so `max` touches
 * the top (a floor keeps a flat, tiny series from filling the height with noise).
 */
export function sparklinePoints(values: readonly number[], width: number, height: number, minMax = 1): { x: number; y: number }[] {
  if (values.length === 0) return []
  const max = Math.max(minMax, ...values.filter(Number.isFinite))
  const step = values.length > 1 ? width / (values.length - 1) : 0
  return values.map((v, i) => ({
    x: values.length > 1 ? i * step : width,
    y: height - (Number.isFinite(v) ? Math.max(0, v) / max : 0) * height
  }))
}
