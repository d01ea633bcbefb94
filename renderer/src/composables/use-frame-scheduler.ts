import { getCurrentScope, onScopeDispose } from 'vue'

/** The two animation-frame functions, injectable so the scheduler can be tested without a browser. */
export interface FrameClock {
  request(callback: () => void): number
  cancel(handle: number): void
}

interface FrameGlobals {
  requestAnimationFrame?: (callback: () => void) => number
  cancelAnimationFrame?: (handle: number) => void
}

function browserFrameClock(): FrameClock {
  const g = globalThis as FrameGlobals
  if (g.requestAnimationFrame && g.cancelAnimationFrame) {
    return { request: (cb) => g.requestAnimationFrame!(cb), cancel: (h) => g.cancelAnimationFrame!(h) }
  }
  return { request: (cb) => setTimeout(cb, 16) as unknown as number, cancel: (h) => clearTimeout(h) }
}

export interface FrameSchedulerOptions {
  clock?: FrameClock
}

/**
 * Coalesces redraw requests into at most one call of `draw` per animation frame. Events may arrive
 * faster than the screen refreshes (and in bursts after a background tab wakes up); charts only
 * need the latest state once per frame. A pending frame is cancelled when the scope ends.
 */
export function useFrameScheduler(draw: () => void, options: FrameSchedulerOptions = {}) {
  const clock = options.clock ?? browserFrameClock()
  let handle: number | undefined

  function schedule(): void {
    if (handle !== undefined) return
    handle = clock.request(() => {
      handle = undefined
      draw()
    })
  }

  function cancel(): void {
    if (handle === undefined) return
    clock.cancel(handle)
    handle = undefined
  }

  if (getCurrentScope()) onScopeDispose(cancel)
  return { schedule, cancel }
}
