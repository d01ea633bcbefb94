import { describe, expect, it } from 'vitest'
import { AsyncResult } from '../../../main/pool/async-result'
import { ResultTimeoutError } from '../../../main/pool/errors'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('AsyncResult', () => {
  it('is not ready until its task settles, and successful() throws until then, as in Python', async () => {
    const task = deferred<number>()
    const result = new AsyncResult(task.promise)
    expect(result.ready()).toBe(false)
    expect(() => result.successful()).toThrow('not ready')
    task.resolve(1)
    await result.wait()
    expect(result.ready()).toBe(true)
    expect(result.successful()).toBe(true)
  })

  it('get() resolves to the value and rejects with the error of the task', async () => {
    const ok = new AsyncResult(Promise.resolve('value'))
    expect(await ok.get()).toBe('value')
    const failure = new Error('task failed')
    const bad = new AsyncResult(Promise.reject(failure))
    await expect(bad.get()).rejects.toBe(failure)
    expect(bad.successful()).toBe(false)
  })

  it('get(timeoutMs) rejects with ResultTimeoutError, and a later get() still gets the result', async () => {
    const task = deferred<string>()
    const result = new AsyncResult(task.promise)
    const error = await result.get(5).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResultTimeoutError)
    expect((error as ResultTimeoutError).timeoutMs).toBe(5)
    expect((error as ResultTimeoutError).code).toBe('result-timeout')
    task.resolve('late')
    expect(await result.get()).toBe('late')
    expect(await result.get(5)).toBe('late')
  })

  it('wait(timeoutMs) never rejects, whether the task fails or takes too long', async () => {
    const never = new AsyncResult(new Promise(() => {}))
    await expect(never.wait(5)).resolves.toBeUndefined()
    const failed = new AsyncResult(Promise.reject(new Error('x')))
    await expect(failed.wait()).resolves.toBeUndefined()
  })
})
