import { markRaw, onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue'
import type { ChartConfiguration } from 'chart.js'
import { Chart } from '../charts/chart-setup'
import type { Point } from '../lib/series-window'
import { useChartPalette, type ChartPalette } from './use-chart-palette'

export type LineChart = Chart<'line', Point[]>
export type LineChartConfig = ChartConfiguration<'line', Point[]>

export interface LineChartOptions {
  canvas: Readonly<Ref<HTMLCanvasElement | null | undefined>>
  /**
   * Builds the chart once, when the canvas mounts. The data arrays it hands over stay the chart's
   * for good: later changes mutate them in place and call `chart.update('none')`.
   */
  create: (palette: ChartPalette) => LineChartConfig
  /** Re-colours the existing chart after a theme switch (mutate `chart.options` and datasets). */
  recolor?: (chart: LineChart, palette: ChartPalette) => void
}

/**
 * A chart.js line chart owned by the calling component: created on mount, re-coloured on theme
 * change, destroyed on unmount, never recreated in between.
 */
export function useLineChart({ canvas, create, recolor }: LineChartOptions) {
  const chart = shallowRef<LineChart>()
  const palette = useChartPalette()

  onMounted(() => {
    if (!canvas.value) return
    // markRaw: a Vue proxy around chart.js internals makes every update crawl.
    chart.value = markRaw(new Chart(canvas.value, create(palette.value)))
  })

  watch(palette, (next) => {
    if (!chart.value || !recolor) return
    recolor(chart.value, next)
    chart.value.update('none')
  })

  onBeforeUnmount(() => {
    chart.value?.destroy()
    chart.value = undefined
  })

  return { chart, palette }
}
