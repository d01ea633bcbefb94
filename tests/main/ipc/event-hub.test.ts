import { describe, expect, it } from 'vitest'
import { EventHub } from '../../../main/ipc/event-hub'
import type { MonitorSample } from '../../../shared/contract'

const sample: MonitorSample = {
  t: 1,
  cores: [10, 20],
  totalPercent: 15,
  memUsedBytes: 1,
  memTotalBytes: 2,
  loadAvg: [0, 0, 0],
  samplerCpuPercent: 0.1
}

function quietHub(errors: unknown[] = []) {
  return new EventHub({ onListenerError: (error) => errors.push(error) })
}

describe('EventHub', () => {
  it('delivers a published payload to the channel’s subscribers', () => {
    const hub = quietHub()
    const seen: MonitorSample[] = []
    hub.subscribe('monitor:sample', (payload) => seen.push(payload))
    hub.publish('monitor:sample', sample)
    expect(seen).toEqual([sample])
  })

  it('does not deliver other channels’ events', () => {
    const hub = quietHub()
    const seen: unknown[] = []
    hub.subscribe('run:update', (payload) => seen.push(payload))
    hub.publish('monitor:sample', sample)
    expect(seen).toEqual([])
  })

  it('delivers every channel to catch-all subscribers with the channel name', () => {
    const hub = quietHub()
    const seen: [string, unknown][] = []
    hub.subscribeAll((channel, payload) => seen.push([channel, payload]))
    hub.publish('monitor:sample', sample)
    hub.publish('bench:finished', { benchId: 'b', report: undefined, error: 'x' })
    expect(seen.map(([channel]) => channel)).toEqual(['monitor:sample', 'bench:finished'])
  })

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', () => {
    const hub = quietHub()
    const seen: unknown[] = []
    const off = hub.subscribe('monitor:sample', (payload) => seen.push(payload))
    const offAll = hub.subscribeAll((_channel, payload) => seen.push(payload))
    off()
    off()
    offAll()
    hub.publish('monitor:sample', sample)
    expect(seen).toEqual([])
    expect(hub.listenerCount).toBe(0)
  })

  it('keeps delivering to others when one listener throws, and reports the error', () => {
    const errors: unknown[] = []
    const hub = quietHub(errors)
    const seen: unknown[] = []
    hub.subscribe('monitor:sample', () => {
      throw new Error('listener broke')
    })
    hub.subscribe('monitor:sample', (payload) => seen.push(payload))
    hub.subscribeAll((_channel, payload) => seen.push(payload))
    expect(() => hub.publish('monitor:sample', sample)).not.toThrow()
    expect(seen).toHaveLength(2)
    expect(errors).toHaveLength(1)
  })

  it('lets a listener unsubscribe another during delivery without skipping the rest', () => {
    const hub = quietHub()
    const seen: string[] = []
    let offB = () => {}
    hub.subscribe('monitor:sample', () => {
      seen.push('a')
      offB()
    })
    offB = hub.subscribe('monitor:sample', () => seen.push('b'))
    hub.publish('monitor:sample', sample)
    hub.publish('monitor:sample', sample)
    expect(seen).toEqual(['a', 'b', 'a'])
  })

  it('delivers twice to a function subscribed twice', () => {
    const hub = quietHub()
    let count = 0
    const listener = () => count++
    hub.subscribe('monitor:sample', listener)
    hub.subscribe('monitor:sample', listener)
    hub.publish('monitor:sample', sample)
    expect(count).toBe(2)
  })
})
