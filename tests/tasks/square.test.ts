import { describe, expect, it } from 'vitest'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import squareTask, { square } from '../../tasks/square'
import { workerScript } from '../helpers/paths'

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

describe('square run in worker processes', () => {
  it.each([
    ['no wait, chunked (the wait is not sent)', { count: 3000, delayMs: 0 }, 500],
    ['a wait, chunked (the wait sent once per chunk)', { count: 30, delayMs: 2 }, 8],
    ['a wait, one input per unit', { count: 12, delayMs: 1 }, undefined]
  ])('map mode, %s: every square correct and in input order', async (_how, params, chunksize) => {
    const run = await runTask({ ...parseTaskInput('square', params), workers: 2, backend: 'process', workerScript, ...(chunksize && { chunksize }) })
    expect(run.check).toEqual({ ok: true, summary: `all ${params.count} squares correct and in input order` })
    const { squares } = run.result as { squares: number[] }
    expect(squares).toEqual(Array.from({ length: params.count }, (_, x) => x * x))
  })
})
