import { describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { workerScript } from '../helpers/paths'

interface SharedArrayResult {
  after: number[]
  arrayDoubled: boolean
  unlocked: { increments: number; counted: number; lost: number; perProcess: number[] }
  locked: { increments: number; counted: number; perProcess: number[] }
  raceShown: boolean
}

describe('shared-array', () => {
  for (const backend of ['process', 'thread'] as const) {
    it(`shows the doubled array, an exact locked count and a lost-update race on the ${backend} backend`, async () => {
      const run = await runTask({
        ...parseTaskInput('shared-array', { length: 5, processes: 2, increments: 15, gapMs: 1 }),
        workers: 1,
        backend,
        workerScript
      })
      const result = run.result as SharedArrayResult
      expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
      expect(result.after).toEqual([2, 4, 6, 8, 10])
      expect(result.locked.counted).toBe(result.locked.increments)
      expect(result.unlocked.counted).toBeLessThan(result.unlocked.increments)
      expect(result.raceShown).toBe(true)
      // Each process made at least its share, and kept going until the others had made theirs.
      for (const made of [...result.locked.perProcess, ...result.unlocked.perProcess]) expect(made).toBeGreaterThanOrEqual(15)
    })
  }

  it('rejects a single process, which cannot race, naming the parameter', () => {
    expect(() => parseTaskInput('shared-array', { processes: 1 })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('shared-array', { processes: 1 })).toThrow(/processes/)
  })
})
