import { describe, expect, it } from 'vitest'
import { RingBuffer } from '../../../main/monitor/ring-buffer'

describe('RingBuffer', () => {
  it('keeps items oldest first until it is full', () => {
    const ring = new RingBuffer<number>(3)
    ring.push(1)
    ring.push(2)
    expect(ring.toArray()).toEqual([1, 2])
    expect(ring.size).toBe(2)
    expect(ring.last()).toBe(2)
  })

  it('overwrites the oldest item once full and returns it', () => {
    const ring = new RingBuffer<number>(3)
    for (const n of [1, 2, 3]) expect(ring.push(n)).toBeUndefined()
    expect(ring.push(4)).toBe(1)
    expect(ring.push(5)).toBe(2)
    expect(ring.toArray()).toEqual([3, 4, 5])
    expect(ring.size).toBe(3)
  })

  it('stays bounded however many items pass through', () => {
    const ring = new RingBuffer<number>(100)
    for (let n = 0; n < 10_000; n++) ring.push(n)
    expect(ring.size).toBe(100)
    expect(ring.toArray()[0]).toBe(9_900)
  })

  it('takes the newest items while a condition holds', () => {
    const ring = new RingBuffer<number>(4)
    for (const n of [1, 5, 2, 6, 7]) ring.push(n)
    expect(ring.takeLastWhile((n) => n > 4)).toEqual([6, 7])
    expect(ring.takeLastWhile(() => true)).toEqual([5, 2, 6, 7])
    expect(ring.takeLastWhile(() => false)).toEqual([])
  })

  it('empties on clear', () => {
    const ring = new RingBuffer<string>(2)
    ring.push('a')
    ring.clear()
    expect(ring.toArray()).toEqual([])
    expect(ring.last()).toBeUndefined()
  })

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
    expect(() => new RingBuffer(1.5)).toThrow(RangeError)
  })
})
