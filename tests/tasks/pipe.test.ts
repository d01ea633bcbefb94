import { describe, expect, it } from 'vitest'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { workerScript } from '../helpers/paths'

interface PipeResult {
  received: number
  inOrder: boolean
  endedWith: string
  sendAfterClose: string
  pipe: { pending: [number, number]; closed: [boolean, boolean] }
}

describe('pipe', () => {
  for (const duplex of [true, false]) {
    it(`receives every message in order, then EOF, over a ${duplex ? 'duplex' : 'one-way'} pipe`, async () => {
      const run = await runTask({ ...parseTaskInput('pipe', { count: 30, duplex }), workers: 1, backend: 'process', workerScript })
      const result = run.result as PipeResult
      expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
      expect(result).toMatchObject({ received: 30, inOrder: true, endedWith: 'EOFError' })
      expect(result.sendAfterClose).toMatch(/^PipeClosedError/)
      expect(result.pipe.pending).toEqual([0, 0])
    })
  }

  it('passes its check between two threads', async () => {
    const run = await runTask({ ...parseTaskInput('pipe', { count: 10 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
  })

  it('rejects a count of zero, naming the parameter', () => {
    expect(() => parseTaskInput('pipe', { count: 0 })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('pipe', { count: 0 })).toThrow(/count/)
  })
})
