import { describe, expect, it } from 'vitest'
import type { Process } from '../../main/pool/process'
import { parseTaskInput, TaskParamsError } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { greet } from '../../tasks/hello'
import { workerScript } from '../helpers/paths'
import { waitFor } from '../helpers/wait-for'

interface HelloResult {
  message: string
  name: string
  pid: number
  childPpid: number
  parentPid: number
  exitCode: number
  parentSaw: string[]
}

describe('hello', () => {
  it('sees start() return before the child exits and join() return after it, with exit code 0', async () => {
    const run = await runTask({ ...parseTaskInput('hello', { delayMs: 50, name: 'tester' }), workers: 1, backend: 'process', workerScript })
    const result = run.result as HelloResult
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(run.ok).toBe(true)
    expect(result.parentSaw).toEqual(['start-returned', 'exited', 'join-returned'])
    expect(result.exitCode).toBe(0)
  })

  it("reports the child's own pid and name, and the parent's pid as its ppid", async () => {
    const run = await runTask({
      ...parseTaskInput('hello', { delayMs: 0, message: 'ping', name: 'named-child' }),
      workers: 1,
      backend: 'process',
      workerScript
    })
    const result = run.result as HelloResult
    expect(result).toMatchObject({ message: 'ping', name: 'named-child', childPpid: process.pid, parentPid: process.pid })
    expect(result.pid).not.toBe(process.pid)
  })

  it('gives the child an automatic name when the name is left empty', async () => {
    const run = await runTask({ ...parseTaskInput('hello', { delayMs: 0, name: '' }), workers: 1, backend: 'process', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect((run.result as HelloResult).name).toMatch(/^Process-\d+$/)
  })

  it('passes its check on the thread backend, where the child shares the parent pid', async () => {
    const run = await runTask({ ...parseTaskInput('hello', { delayMs: 20 }), workers: 1, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect((run.result as HelloResult).pid).toBe(process.pid)
  })

  it('ends the waiting child when the run is stopped', async () => {
    const stop = new AbortController()
    let child: Process | undefined
    const running = runTask({
      ...parseTaskInput('hello', { delayMs: 60_000 }),
      workers: 1,
      backend: 'process',
      workerScript,
      signal: stop.signal,
      onProcess: (started) => (child = started)
    })
    await waitFor('the child to start', () => child?.isAlive())
    stop.abort()
    const run = await running
    expect(run.state).toBe('stopped')
    expect(child?.signal).toBe('SIGTERM')
  })

  it('reports the message with the identity of the process that ran it', async () => {
    const greeting = await greet('hi', 0)
    expect(greeting).toMatchObject({ message: 'hi', name: 'MainProcess', pid: process.pid, ppid: process.ppid })
  })

  it('rejects a negative wait, naming the parameter', () => {
    expect(() => parseTaskInput('hello', { delayMs: -1 })).toThrow(TaskParamsError)
    expect(() => parseTaskInput('hello', { delayMs: -1 })).toThrow(/delayMs/)
  })
})
