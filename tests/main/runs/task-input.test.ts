import { describe, expect, it } from 'vitest'
import { toErrorPayload } from '../../../main/ipc/error-payload'
import { parseTaskInput, TaskParamsError } from '../../../main/runs/task-input'

describe('parseTaskInput', () => {
  it("finds the task and fills in its defaults", () => {
    const input = parseTaskInput('square', {})
    expect(input.task.id).toBe('square')
    expect(input.params).toEqual({ count: 40, delayMs: 500, mode: 'map' })
  })

  it('names each bad parameter', () => {
    expect(() => parseTaskInput('heavy-sum', { n: -5 })).toThrowError(/^heavy-sum: n must be an integer ≥ 1$/)
    expect(() => parseTaskInput('heavy-sum', { n: 1.5, m: 0 })).toThrowError(/n must be an integer ≥ 1; m must be an integer ≥ 1/)
    expect(() => parseTaskInput('square', { mode: 'loop' })).toThrowError(/mode must be one of map, apply-async/)
  })

  it('refuses unknown parameters and unknown tasks with TaskParamsError', () => {
    expect(() => parseTaskInput('heavy-sum', { k: 1 })).toThrowError(TaskParamsError)
    expect(() => parseTaskInput('heavy-sum', { k: 1 })).toThrowError('unknown parameter k')
    expect(() => parseTaskInput('no-such-task', {})).toThrowError('unknown task "no-such-task"')
  })

  it('refuses with the contract’s invalid-payload code and an issue on params, as the renderer receives it', () => {
    let thrown: unknown
    try {
      parseTaskInput('heavy-sum', { n: -5 })
    } catch (error) {
      thrown = error
    }
    expect(toErrorPayload(thrown)).toEqual({
      code: 'invalid-payload',
      message: 'heavy-sum: n must be an integer ≥ 1',
      issues: [{ path: 'params', message: 'heavy-sum: n must be an integer ≥ 1' }]
    })
  })
})
