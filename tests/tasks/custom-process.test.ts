import { describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { Greeter, type Report } from '../../tasks/custom-process'
import { ProcessTask } from '../../main/pool/process-task'
import { workerScript } from '../helpers/paths'

interface CustomProcessResult {
  reports: Report[]
  finishedCounter: number
  returnValues: unknown[]
  exitCodes: number[]
}

describe('custom-process', () => {
  it('gets every child’s report through shared state while run() returns nothing', async () => {
    const run = await runTask({ ...parseTaskInput('custom-process', { processes: 3, delayMs: 10, message: 'hi' }), workers: 1, backend: 'process', workerScript })
    const result = run.result as CustomProcessResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(run.ok).toBe(true)
    expect(result.returnValues).toEqual([null, null, null])
    expect(result.finishedCounter).toBe(3)
    expect(result.reports.map((r) => r.name)).toEqual(['greeter-1', 'greeter-2', 'greeter-3'])
    expect(result.reports.map((r) => r.finishedAs).sort()).toEqual([1, 2, 3])
    for (const report of result.reports) expect(report).toMatchObject({ message: 'hi', ppid: process.pid })
    expect(new Set(result.reports.map((r) => r.pid)).size).toBe(3)
  })

  it('passes its check on the thread backend', async () => {
    const run = await runTask({ ...parseTaskInput('custom-process', { processes: 2, delayMs: 0 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('defines the work as a ProcessTask subclass', () => {
    expect(Object.getPrototypeOf(Greeter)).toBe(ProcessTask)
  })

  it('rejects zero processes, naming the parameter', () => {
    expect(() => parseTaskInput('custom-process', { processes: 0 })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('custom-process', { processes: 0 })).toThrow(/processes/)
  })
})
