import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { SignalWatch } from '../../../main/pool/signal-watch'

describe('SignalWatch', () => {
  it('adds one listener to a signal however many units it covers', () => {
    const controller = new AbortController()
    const watch = new SignalWatch<number>(() => undefined)
    for (let unit = 0; unit < 1000; unit++) watch.add(controller.signal, unit)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
  })

  it('removes the listener when the last unit is released', () => {
    const controller = new AbortController()
    const watch = new SignalWatch<number>(() => undefined)
    watch.add(controller.signal, 1)
    watch.add(controller.signal, 2)
    watch.release(controller.signal, 1)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    watch.release(controller.signal, 2)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    watch.release(controller.signal, 2)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('hands the still-watched units to its callback once, in the order they were added', () => {
    const controller = new AbortController()
    const aborted: number[][] = []
    const watch = new SignalWatch<number>((units, signal) => {
      expect(signal).toBe(controller.signal)
      aborted.push(units)
    })
    for (const unit of [3, 1, 2, 5]) watch.add(controller.signal, unit)
    watch.release(controller.signal, 2)
    controller.abort()
    expect(aborted).toEqual([[3, 1, 5]])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('keeps each signal apart', () => {
    const first = new AbortController()
    const second = new AbortController()
    const aborted: string[][] = []
    const watch = new SignalWatch<string>((units) => aborted.push(units))
    watch.add(first.signal, 'a')
    watch.add(second.signal, 'b')
    second.abort()
    expect(aborted).toEqual([['b']])
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(1)
  })
})
