import { describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  PoolError,
  TaskFailedError,
  WorkerCrashedError,
  WorkerStartError
} from '../../../main/pool/errors'

describe('pool errors', () => {
  it('are PoolErrors with a stable code and their own name', () => {
    const error = new InvalidOptionError('workers', 'must be an integer ≥ 1')
    expect(error).toBeInstanceOf(PoolError)
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('invalid-option')
    expect(error.name).toBe('InvalidOptionError')
    expect(error.message).toBe('workers must be an integer ≥ 1')
  })

  it('WorkerCrashedError says how the worker ended: by signal, or by exit code', () => {
    expect(new WorkerCrashedError('p-1', 42, null, 'SIGKILL', 7).message).toBe('worker p-1 (pid 42) was killed by SIGKILL while running task 7')
    expect(new WorkerCrashedError('p-2', undefined, 3, null, 8).message).toBe('worker p-2 (pid ?) exited with code 3 while running task 8')
  })

  it("TaskFailedError carries the worker's message, name and stack, with the worker's stack first", () => {
    const error = new TaskFailedError(5, { name: 'TypeError', message: 'x is not a function', stack: 'TypeError: x is not a function\n    at task.js:1:1' })
    expect(error.message).toBe('x is not a function')
    expect(error.remoteName).toBe('TypeError')
    expect(error.taskId).toBe(5)
    expect(error.stack).toMatch(/^TypeError: x is not a function\n {4}at task\.js:1:1\n {4}--- in the pool, task 5 ---/)
  })

  it('WorkerStartError names the worker and keeps the remote error', () => {
    const remote = { name: 'Error', message: 'boom', stack: 'Error: boom' }
    const error = new WorkerStartError('w-3', 'its initializer threw: boom', remote)
    expect(error.message).toBe('worker w-3 failed to start: its initializer threw: boom')
    expect(error.remote).toBe(remote)
  })
})
