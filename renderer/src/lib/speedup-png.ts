/** Height of the caption band above a saved chart, in CSS pixels. */
const CAPTION_HEIGHT = 30
const CAPTION_FONT_PX = 13
const CAPTION_PADDING = 12

/** The colours a caption is drawn in: the chart's own background and text colour. */
export interface CaptionColors {
  background: string
  text: string
}

/**
 * A copy of `chart` with `caption` in a band above it, for "save as PNG": the chart alone does not
 * say which benchmark it shows. `ratio` is the canvas's device pixels per CSS pixel (the chart is
 * drawn at that density), so the caption is as sharp as the chart.
 */
export function captionedCanvas(chart: HTMLCanvasElement, caption: string, colors: CaptionColors, ratio: number): HTMLCanvasElement {
  const band = Math.round(CAPTION_HEIGHT * ratio)
  const out = document.createElement('canvas')
  out.width = chart.width
  out.height = chart.height + band
  const ctx = out.getContext('2d')
  if (!ctx) return chart
  ctx.fillStyle = colors.background
  ctx.fillRect(0, 0, out.width, out.height)
  ctx.fillStyle = colors.text
  ctx.font = `600 ${CAPTION_FONT_PX * ratio}px ${getComputedStyle(chart).fontFamily || 'sans-serif'}`
  ctx.textBaseline = 'middle'
  ctx.fillText(caption, CAPTION_PADDING * ratio, band / 2, out.width - 2 * CAPTION_PADDING * ratio)
  ctx.drawImage(chart, 0, band)
  return out
}
