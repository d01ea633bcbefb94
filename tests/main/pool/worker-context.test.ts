import { describe, expect, it } from 'vitest'
import { TaskFailedError } from '../../../main/pool/errors'
import { callParent, currentWorker } from '../../../main/pool/worker-context'
import type { CallerInfo } from '../../../main/pool/service-registry'
import { fixtureFn } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'

const whoAmI = fixtureFn('context.cjs', 'whoAmI')
const askParent = fixtureFn('context.cjs', 'askParent')

const openPool = usePools()

describe('currentWorker() inside a task', () => {
  it('names the worker and gives its pid, with this process as its parent (process backend)', async () => {
    const pool = openPool({ workers: 2, name: 'ctx' })
    await pool.ready()
    const seen = await pool.map<{ name: string; workerId: number; pid: number; ppid: number; isWorker: boolean }>(
      whoAmI,
      [0, 1, 2, 3],
      { chunksize: 1 }
    )
    const workers = pool.snapshot().workers
    for (const who of seen) {
      expect(who.isWorker).toBe(true)
      expect(who.ppid).toBe(process.pid)
      expect(who.pid).not.toBe(process.pid)
      const worker = workers.find((w) => w.pid === who.pid)
      expect(worker).toBeDefined()
      expect(who.name).toBe(worker!.name)
      expect(who.workerId).toBe(worker!.id)
    }
  })

  it('in a thread worker gives this process as pid and ppid, and its own thread id', async () => {
    const pool = openPool({ workers: 1, backend: 'thread', name: 'tctx' })
    const who = await pool.apply<{ name: string; pid: number; ppid: number; threadId: number }>(whoAmI)
    expect(who).toMatchObject({ name: 'tctx-1', pid: process.pid, ppid: process.pid })
    expect(who.threadId).toBeGreaterThan(0)
  })

  it('outside any worker describes the calling process itself', () => {
    expect(currentWorker()).toMatchObject({ name: 'MainProcess', pid: process.pid, ppid: process.ppid, isWorker: false })
  })
})

describe('callParent()', () => {
  it('reaches a service registered with pool.registerService, which learns who called', async () => {
    const pool = openPool({ workers: 2, name: 'svc' })
    const callers: CallerInfo[] = []
    let total = 0
    pool.registerService('counter', {
      add(n: number, caller: CallerInfo) {
        callers.push(caller)
        total += n
        return total
      }
    })
    const answers = await pool.starmap<number>(askParent, [1, 2, 3, 4].map((n) => ['counter', 'add', n]), { chunksize: 1 })
    expect(total).toBe(10)
    expect([...answers].sort((a, b) => a - b).at(-1)).toBe(10)
    for (const caller of callers) expect(caller.workerName).toMatch(/^svc-\d+$/)
  })

  it('an async service method is awaited before the reply', async () => {
    const pool = openPool({ workers: 1 })
    pool.registerService('slow', { echo: async (value: unknown) => ({ echoed: value }) })
    expect(await pool.apply(askParent, ['slow', 'echo', [1, 'two']])).toEqual({ echoed: [1, 'two'] })
  })

  it("a service method's error reaches the task, which fails with its message", async () => {
    const pool = openPool({ workers: 1 })
    pool.registerService('strict', {
      check() {
        throw new RangeError('value out of range')
      }
    })
    const error = await pool.apply(askParent, ['strict', 'check']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).message).toBe('value out of range')
    expect((error as TaskFailedError).remoteName).toBe('RangeError')
  })

  it('an unknown service, or one that was unregistered, fails the call clearly', async () => {
    const pool = openPool({ workers: 1 })
    const unregister = pool.registerService('temporary', { ping: () => 'pong' })
    expect(await pool.apply(askParent, ['temporary', 'ping'])).toBe('pong')
    unregister()
    const error = await pool.apply(askParent, ['temporary', 'ping']).catch((e: unknown) => e)
    expect((error as Error).message).toBe('no service method temporary.ping')
  })

  it('outside any worker rejects: there is no parent to call', async () => {
    await expect(callParent('any', 'thing')).rejects.toThrow('can only be called from a worker')
  })
})
