import { describe, expect, it } from 'vitest'
import { RingBuffer } from '../../shared/ring-buffer'

describe('RingBuffer', () => {
  it('keeps items in insertion order until it is full', () => {
    const ring = new RingBuffer<number>(3)
    ring.push(1)
    ring.push(2)
    expect(ring.toArray()).toEqual([1, 2])
    expect(ring.length).toBe(2)
  })

  it('overwrites the oldest item once full and returns what it evicted', () => {
    const ring = new RingBuffer<number>(3)
    for (const n of [1, 2, 3]) expect(ring.push(n)).toBeUndefined()
    expect(ring.push(4)).toBe(1)
    expect(ring.toArray()).toEqual([2, 3, 4])
    expect([...ring]).toEqual([2, 3, 4])
  })

  it('never holds more than its capacity, however much is pushed', () => {
    const ring = new RingBuffer<number>(100)
    for (let i = 0; i < 100_000; i++) ring.push(i)
    expect(ring.length).toBe(100)
    expect(ring.at(0)).toBe(99_900)
    expect(ring.last()).toBe(99_999)
  })

  it('indexes from the oldest with positive and from the newest with negative indexes', () => {
    const ring = new RingBuffer<string>(2)
    ring.push('a')
    ring.push('b')
    ring.push('c')
    expect(ring.at(0)).toBe('b')
    expect(ring.at(-1)).toBe('c')
    expect(ring.at(2)).toBeUndefined()
    expect(ring.at(-3)).toBeUndefined()
  })

  it('drops the oldest items on request and can be cleared', () => {
    const ring = new RingBuffer<number>(4)
    for (const n of [1, 2, 3, 4, 5]) ring.push(n)
    ring.dropOldest(2)
    expect(ring.toArray()).toEqual([4, 5])
    ring.dropOldest(10)
    expect(ring.length).toBe(0)
    ring.push(9)
    ring.clear()
    expect(ring.toArray()).toEqual([])
  })

  it('finds the first item at or after a point by binary search over wrapped storage', () => {
    const ring = new RingBuffer<{ t: number }>(5)
    for (let t = 0; t < 8; t++) ring.push({ t: t * 10 })
    // Holds t = 30..70 with the start wrapped around the storage.
    expect(ring.lowerBound((s) => s.t >= 45)).toBe(2)
    expect(ring.lowerBound((s) => s.t >= 0)).toBe(0)
    expect(ring.lowerBound((s) => s.t > 70)).toBe(5)
  })

  it('takes the newest items while a condition holds', () => {
    const ring = new RingBuffer<number>(4)
    for (const n of [1, 5, 2, 6, 7]) ring.push(n)
    expect(ring.takeLastWhile((n) => n > 4)).toEqual([6, 7])
    expect(ring.takeLastWhile(() => true)).toEqual([5, 2, 6, 7])
    expect(ring.takeLastWhile(() => false)).toEqual([])
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
    expect(() => new RingBuffer(2.5)).toThrow(RangeError)
  })
})
