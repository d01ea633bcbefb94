import { describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { workerScript } from '../helpers/paths'

interface ManagerResult {
  listLength: number
  dictSize: number
  workers: Record<string, { appended: number }>
}

describe('manager', () => {
  it('ends with every append and every key of five processes', async () => {
    const run = await runTask({ ...parseTaskInput('manager', { processes: 5, count: 8 }), workers: 1, backend: 'process', workerScript })
    const result = run.result as ManagerResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(result.listLength).toBe(40)
    expect(result.dictSize).toBe(45)
    expect(Object.keys(result.workers).sort()).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4'])
  })

  it('passes its check with threads', async () => {
    const run = await runTask({ ...parseTaskInput('manager', { processes: 3, count: 5 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('rejects a count that is not a number, naming the parameter', () => {
    expect(() => parseTaskInput('manager', { count: 'many' })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('manager', { count: 'many' })).toThrow(/count/)
  })
})
