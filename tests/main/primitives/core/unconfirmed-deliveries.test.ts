import { describe, expect, it } from 'vitest'
import { UnconfirmedDeliveries } from '../../../../main/primitives/core/unconfirmed-deliveries'

describe('UnconfirmedDeliveries', () => {
  it('gives back, in hand-over order, only what a worker never confirmed', () => {
    const deliveries = new UnconfirmedDeliveries<string>()
    const a = deliveries.hand('w1', 'a')
    deliveries.hand('w2', 'b')
    deliveries.hand('w1', 'c')
    expect(deliveries.confirm(a, 'w1')).toBe(true)
    expect(deliveries.takeLost('w1')).toEqual(['c'])
    expect(deliveries.takeLost('w1')).toEqual([])
    expect(deliveries.size).toBe(1)
  })

  it('accepts a confirmation only from the worker the item was handed to, once', () => {
    const deliveries = new UnconfirmedDeliveries<string>()
    const id = deliveries.hand('w1', 'a')
    expect(deliveries.confirm(id, 'w2')).toBe(false)
    expect(deliveries.confirm(id, 'w1')).toBe(true)
    expect(deliveries.confirm(id, 'w1')).toBe(false)
  })
})
