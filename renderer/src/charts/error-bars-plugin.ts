import type { ChartType, Plugin } from 'chart.js'

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Whiskers for points that carry `yMin`/`yMax` (see `ErrorBarPoint`). */
    errorBars?: { color?: string; capWidth?: number; lineWidth?: number }
  }
}

interface MaybeErrorPoint {
  yMin?: number
  yMax?: number
}

/**
 * Draws a vertical whisker with caps from `yMin` to `yMax` for every visible point that has them:
 * the spread of the timed runs behind a measured speedup. chart.js has no error bars of its own.
 */
export const errorBarsPlugin: Plugin<'line'> = {
  id: 'errorBars',
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart
    const capWidth = options.capWidth ?? 8
    ctx.save()
    ctx.lineWidth = options.lineWidth ?? 1.5
    chart.data.datasets.forEach((dataset, index) => {
      const meta = chart.getDatasetMeta(index)
      if (!chart.isDatasetVisible(index) || !meta.yAxisID) return
      const yScale = chart.scales[meta.yAxisID]
      if (!yScale) return
      ctx.strokeStyle = options.color ?? (typeof dataset.borderColor === 'string' ? dataset.borderColor : '#888')
      meta.data.forEach((element, i) => {
        const point = dataset.data[i] as MaybeErrorPoint | undefined
        if (point?.yMin === undefined || point.yMax === undefined) return
        const x = element.x
        const top = yScale.getPixelForValue(point.yMax)
        const bottom = yScale.getPixelForValue(point.yMin)
        ctx.beginPath()
        ctx.moveTo(x, top)
        ctx.lineTo(x, bottom)
        ctx.moveTo(x - capWidth / 2, top)
        ctx.lineTo(x + capWidth / 2, top)
        ctx.moveTo(x - capWidth / 2, bottom)
        ctx.lineTo(x + capWidth / 2, bottom)
        ctx.stroke()
      })
    })
    ctx.restore()
  }
}
