import { shallowRef, watch, type Ref } from 'vue'
import { parseColor, type Rgb } from '../lib/color-scale'
import { useThemeStore } from '../stores/use-theme-store'

/** Theme colours for canvases, read from the CSS variables so that colours live in CSS only. */
export interface ChartPalette {
  isDark: boolean
  surface: string
  text: string
  muted: string
  grid: string
  accent: string
  ok: string
  warn: string
  danger: string
  pending: string
  running: string
  completed: string
  failed: string
  ideal: string
  amdahl: string
  efficiency: string
  /** Heat-map stops, cold to hot. */
  heat: Rgb[]
}

const HEAT_FALLBACK: Rgb[] = [
  [30, 41, 59],
  [14, 116, 144],
  [34, 197, 94],
  [250, 204, 21],
  [239, 68, 68]
]

function readPalette(root: HTMLElement, isDark: boolean): ChartPalette {
  const style = getComputedStyle(root)
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  const heat = [0, 1, 2, 3, 4].map((i) => parseColor(v(`--heat-${i}`, '')) ?? HEAT_FALLBACK[i]!)
  return {
    isDark,
    surface: v('--surface', isDark ? '#161b22' : '#ffffff'),
    text: v('--text', isDark ? '#e6edf3' : '#1f2328'),
    muted: v('--text-muted', '#8b949e'),
    grid: v('--chart-grid', isDark ? '#30363d' : '#d8dee4'),
    accent: v('--accent', '#3b82f6'),
    ok: v('--ok', '#22c55e'),
    warn: v('--warn', '#eab308'),
    danger: v('--danger', '#ef4444'),
    pending: v('--series-pending', '#a78bfa'),
    running: v('--series-running', '#38bdf8'),
    completed: v('--series-completed', '#34d399'),
    failed: v('--series-failed', '#f87171'),
    ideal: v('--series-ideal', '#8b949e'),
    amdahl: v('--series-amdahl', '#f59e0b'),
    efficiency: v('--series-efficiency', '#c084fc'),
    heat
  }
}

/**
 * The current theme's chart colours, re-read after every theme switch (once the new `data-theme`
 * is on the page, hence `flush: 'post'`).
 */
export function useChartPalette(root: HTMLElement = document.documentElement): Readonly<Ref<ChartPalette>> {
  const theme = useThemeStore()
  const palette = shallowRef<ChartPalette>(readPalette(root, theme.resolved === 'dark'))
  watch(
    () => theme.resolved,
    (resolved) => (palette.value = readPalette(root, resolved === 'dark')),
    { flush: 'post' }
  )
  return palette as Readonly<Ref<ChartPalette>>
}
