import type { ChartType, Plugin } from 'chart.js'

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Fills the canvas before drawing, so an exported PNG is not transparent. */
    background?: { color?: string }
  }
}

export const backgroundPlugin: Plugin<'line'> = {
  id: 'background',
  beforeDraw(chart, _args, options) {
    if (!options.color) return
    const { ctx, width, height } = chart
    ctx.save()
    ctx.globalCompositeOperation = 'destination-over'
    ctx.fillStyle = options.color
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  }
}
