import { describe, expect, it } from 'vitest'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { appendToOwnCopy, parentCopy, writeParentCopy } from '../../tasks/isolation'
import { workerScript } from '../helpers/paths'

interface IsolationResult {
  parentBefore: string[]
  parentAfter: string[]
  children: { name: string; before: string[]; after: string[]; exitCode: number }[]
}

describe('isolation', () => {
  it("leaves the parent's copy unchanged while each child changes its own", async () => {
    const run = await runTask({ ...parseTaskInput('isolation', { processes: 2, appends: 3 }), workers: 1, backend: 'process', workerScript })
    const result = run.result as IsolationResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(result.parentAfter).toEqual(result.parentBefore)
    expect(result.children.map((child) => child.after)).toEqual([
      ['changer-1#1', 'changer-1#2', 'changer-1#3'],
      ['changer-2#1', 'changer-2#2', 'changer-2#3']
    ])
  })

  it("starts every child from the module's initial value, not from the parent's current one", async () => {
    const run = await runTask({ ...parseTaskInput('isolation', { processes: 3, appends: 1 }), workers: 1, backend: 'process', workerScript })
    const result = run.result as IsolationResult
    expect(result.parentBefore).toEqual(['MainProcess#1'])
    for (const child of result.children) expect(child.before).toEqual([])
  })

  it('isolates threads as well, since each worker thread loads its own copy of the module', async () => {
    const run = await runTask({ ...parseTaskInput('isolation', { processes: 2, appends: 2 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('changes the copy of the process that calls it', () => {
    writeParentCopy()
    const report = appendToOwnCopy(2)
    expect(report.before).toEqual(['MainProcess#1'])
    expect(parentCopy()).toEqual(['MainProcess#1', 'MainProcess#1', 'MainProcess#2'])
  })

  it('rejects zero processes, naming the parameter', () => {
    expect(() => parseTaskInput('isolation', { processes: 0 })).toThrow(/processes must be an integer ≥ 1/)
  })
})
