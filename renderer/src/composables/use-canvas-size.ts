import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export interface CanvasSize {
  /** CSS pixels. */
  width: number
  height: number
  /** Device pixels per CSS pixel. */
  ratio: number
}

/**
 * Tracks an element's content size and keeps the canvas inside it at device resolution, so
 * hand-drawn charts stay crisp on HiDPI screens. The observer is disconnected on unmount.
 */
export function useCanvasSize(container: Readonly<Ref<HTMLElement | null | undefined>>, canvas: Readonly<Ref<HTMLCanvasElement | null | undefined>>) {
  const size = ref<CanvasSize>({ width: 0, height: 0, ratio: 1 })
  let observer: ResizeObserver | undefined

  function measure(): void {
    const box = container.value
    const target = canvas.value
    if (!box || !target) return
    const width = Math.max(0, Math.floor(box.clientWidth))
    const height = Math.max(0, Math.floor(box.clientHeight))
    const ratio = window.devicePixelRatio || 1
    target.width = Math.round(width * ratio)
    target.height = Math.round(height * ratio)
    target.style.width = `${width}px`
    target.style.height = `${height}px`
    size.value = { width, height, ratio }
  }

  onMounted(() => {
    measure()
    observer = new ResizeObserver(() => measure())
    if (container.value) observer.observe(container.value)
  })
  onBeforeUnmount(() => observer?.disconnect())

  return size
}
