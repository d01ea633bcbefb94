/**
 * Number formatting for the dashboard: short, unit-suffixed, stable in width where it can be, so
 * monospace figures do not jitter as they update.
 */

const DASH = '—'

/** `850 ms`, `12.3 s`, `4 m 05 s`, `1 h 02 m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return DASH
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`
  const totalSeconds = Math.round(s)
  if (totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60)
    return `${m} m ${String(totalSeconds % 60).padStart(2, '0')} s`
  }
  const totalMinutes = Math.round(totalSeconds / 60)
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, '0')} m`
}

/** Time left, or a dash when it cannot be estimated (no total, nothing done yet). */
export function formatEta(etaMs: number | undefined): string {
  if (etaMs === undefined || !Number.isFinite(etaMs)) return DASH
  return etaMs <= 0 ? 'done' : formatDuration(etaMs)
}

/** `0.5/s`, `12.3/s`, `4560/s`, `45.6 k/s`, `1.20 M/s`. */
export function formatRate(perSecond: number | undefined): string {
  if (perSecond === undefined || !Number.isFinite(perSecond) || perSecond < 0) return DASH
  return `${formatCompact(perSecond)}/s`
}

/** `950`, `12.3`, `4560`, `45.6 k`, `1.20 M`: three significant figures above 10 000. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return DASH
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)} G`
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)} M`
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)} k`
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value))
  return value.toPrecision(3).replace(/\.?0+$/, '')
}

/** Binary units: `512 B`, `12.0 KiB`, `1.50 GiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return DASH
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0) return `${Math.round(value)} B`
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** `45%`, `3.5%` (one decimal below 10 when asked), a dash when unknown. */
export function formatPercent(percent: number | undefined, digits = 0): string {
  if (percent === undefined || !Number.isFinite(percent)) return DASH
  return `${percent.toFixed(digits)}%`
}

/** Whole numbers with thin-space thousands separators: `1 234 567`. */
export function formatCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return DASH
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009')
}

/** How long ago an offset from now is (negative or positive ms), for axis ticks: `-30 s`, `now`. */
export function formatAgo(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000)
  return s === 0 ? 'now' : `-${s} s`
}
