import { describe, expect, it } from 'vitest'
import squareTask, { square } from '../../tasks/square'

describe('square', () => {
  it('returns x² at once when there is no wait', () => {
    expect(square(7, 0)).toBe(49)
    expect(square(-3, 0)).toBe(9)
  })

  it('waits for nothing when the wait is left out, as pool.map calls it with x alone', () => {
    expect(square(7)).toBe(49)
    expect((square as (x: number, delayMs?: unknown) => unknown)(7, undefined)).toBe(49)
  })

  it('returns a promise of x² after the wait', async () => {
    const pending = square(12, 1)
    expect(pending).toBeInstanceOf(Promise)
    expect(await pending).toBe(144)
  })

  it('defaults to 40 inputs, a 500 ms wait and map mode, and bounds each parameter', () => {
    expect(squareTask.params.parse({})).toEqual({ count: 40, delayMs: 500, mode: 'map' })
    expect(squareTask.params.safeParse({ count: 0 }).success).toBe(false)
    expect(squareTask.params.safeParse({ delayMs: -1 }).success).toBe(false)
    expect(squareTask.params.safeParse({ delayMs: 60_001 }).success).toBe(false)
    expect(squareTask.params.safeParse({ mode: 'imap' }).success).toBe(false)
    expect(squareTask.params.parse({ mode: 'apply-async' }).mode).toBe('apply-async')
  })
})
