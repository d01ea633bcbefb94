import { describe, expect, it } from 'vitest'
import { RingQueue } from '../../../main/pool/unit-queue'

function drain<T>(queue: RingQueue<T>): T[] {
  const out: T[] = []
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item)
  return out
}

describe('RingQueue', () => {
  it('hands items out first in, first out', () => {
    const queue = new RingQueue<number>()
    for (const n of [1, 2, 3]) queue.push(n)
    expect(queue.size).toBe(3)
    expect(queue.peek()).toBe(1)
    expect(drain(queue)).toEqual([1, 2, 3])
    expect(queue.size).toBe(0)
    expect(queue.shift()).toBeUndefined()
    expect(queue.peek()).toBeUndefined()
  })

  it('puts an unshifted item back at the head', () => {
    const queue = new RingQueue<string>()
    queue.push('b')
    queue.push('c')
    queue.unshift('a')
    expect(drain(queue)).toEqual(['a', 'b', 'c'])
  })

  it('keeps order while growing past its initial capacity, with the head wrapped around', () => {
    const queue = new RingQueue<number>()
    // Move the head away from slot 0 first, so growth must unwrap the ring.
    for (let i = 0; i < 40; i++) queue.push(-1)
    for (let i = 0; i < 40; i++) queue.shift()
    for (let i = 0; i < 1000; i++) queue.push(i)
    queue.unshift(-2)
    expect(queue.size).toBe(1001)
    expect(drain(queue)).toEqual([-2, ...Array.from({ length: 1000 }, (_, i) => i)])
  })

  it('unshifts many items into an empty queue, each in front of the last', () => {
    const queue = new RingQueue<number>()
    for (let i = 0; i < 200; i++) queue.unshift(i)
    expect(drain(queue)).toEqual(Array.from({ length: 200 }, (_, i) => 199 - i))
  })

  it('removes an item from anywhere and closes the gap', () => {
    const queue = new RingQueue<{ id: number }>()
    const items = Array.from({ length: 10 }, (_, id) => ({ id }))
    for (const item of items) queue.push(item)
    expect(queue.remove(items[0])).toBe(true)
    expect(queue.remove(items[5])).toBe(true)
    expect(queue.remove(items[9])).toBe(true)
    expect(queue.remove(items[5])).toBe(false)
    expect(queue.remove({ id: 3 })).toBe(false)
    expect(queue.size).toBe(7)
    expect(drain(queue).map((i) => i.id)).toEqual([1, 2, 3, 4, 6, 7, 8])
  })

  it('removes correctly across the wrap-around point', () => {
    const queue = new RingQueue<number>()
    for (let i = 0; i < 60; i++) queue.push(-1)
    for (let i = 0; i < 60; i++) queue.shift()
    for (let i = 0; i < 10; i++) queue.push(i)
    expect(queue.remove(3)).toBe(true)
    queue.push(10)
    expect(drain(queue)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10])
  })

  it('removes a set of items in one pass, keeping the others in order across the wrap-around', () => {
    const queue = new RingQueue<number>()
    for (let i = 0; i < 60; i++) queue.push(-1)
    for (let i = 0; i < 60; i++) queue.shift()
    for (let i = 0; i < 10; i++) queue.push(i)
    expect(queue.removeAll(new Set([0, 3, 9, 42]))).toBe(3)
    expect(queue.size).toBe(7)
    queue.push(10)
    queue.unshift(-2)
    expect(drain(queue)).toEqual([-2, 1, 2, 4, 5, 6, 7, 8, 10])
  })
})
