import { effectScope } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import { useFrameScheduler, type FrameClock } from '../../../../renderer/src/composables/use-frame-scheduler'

function manualClock() {
  const callbacks = new Map<number, () => void>()
  let next = 1
  const clock: FrameClock = {
    request: (cb) => {
      callbacks.set(next, cb)
      return next++
    },
    cancel: (handle) => callbacks.delete(handle)
  }
  const tick = () => {
    const due = [...callbacks.values()]
    callbacks.clear()
    due.forEach((cb) => cb())
  }
  return { clock, tick, pending: () => callbacks.size }
}

describe('useFrameScheduler', () => {
  it('coalesces any number of requests into one draw per frame', () => {
    const { clock, tick } = manualClock()
    const draw = vi.fn()
    const frames = useFrameScheduler(draw, { clock })
    for (let i = 0; i < 50; i++) frames.schedule()
    tick()
    expect(draw).toHaveBeenCalledTimes(1)
    frames.schedule()
    tick()
    expect(draw).toHaveBeenCalledTimes(2)
  })

  it('cancels a pending frame when its scope ends', () => {
    const { clock, tick, pending } = manualClock()
    const draw = vi.fn()
    const scope = effectScope()
    scope.run(() => useFrameScheduler(draw, { clock }).schedule())
    expect(pending()).toBe(1)
    scope.stop()
    expect(pending()).toBe(0)
    tick()
    expect(draw).not.toHaveBeenCalled()
  })
})
