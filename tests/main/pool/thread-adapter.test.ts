/**
 * The thread backend runs the same worker entry in `worker_threads`; the pool's rules must hold
 * there too.
 */
import { describe, expect, it } from 'vitest'
import { TaskFailedError, TaskTimeoutError, WorkerCrashedError } from '../../../main/pool/errors'
import { ThreadAdapter } from '../../../main/pool/thread-adapter'
import type { WorkerExit } from '../../../main/pool/worker-adapter'
import { fixtureFn, poolFixture, workerScript } from '../../helpers/paths'
import { usePools } from '../../helpers/pools'
import { waitFor } from '../../helpers/wait-for'

const double = fixtureFn('echo.cjs', 'double')
const workerPid = fixtureFn('echo.cjs', 'pid')
const throwError = fixtureFn('throw.cjs', 'throwError')
const exitWith = fixtureFn('crash.cjs', 'exitWith')
const hang = fixtureFn('hang.cjs', 'hang')
const spin = fixtureFn('hang.cjs', 'spin')
const init = fixtureFn('initializer.cjs', 'init')
const readInit = fixtureFn('initializer.cjs', 'readInit')
const flood = fixtureFn('flood-stdout.cjs', 'flood')

const openPool = usePools()
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject, but it resolved')
}

describe('the thread backend', () => {
  it('maps in order, chunked or not, in threads of this very process', async () => {
    const pool = openPool({ backend: 'thread', workers: 2 })
    expect(await pool.map(double, range(40), { chunksize: 1 })).toEqual(range(40).map((x) => x * 2))
    expect(await pool.map(double, range(40), { chunksize: 6 })).toEqual(range(40).map((x) => x * 2))
    expect(await pool.apply(workerPid)).toBe(process.pid)
    expect(pool.snapshot().backend).toBe('thread')
  })

  it('reports a thrown error as TaskFailedError with its message', async () => {
    const pool = openPool({ backend: 'thread', workers: 1 })
    const error = await rejectionOf(pool.apply(throwError, ['thread boom']))
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error.message).toBe('thread boom')
  })

  it('process.exit() inside a task ends only its thread: WorkerCrashedError with the exit code, and the thread is replaced', async () => {
    const pool = openPool({ backend: 'thread', workers: 1 })
    const error = (await rejectionOf(pool.apply(exitWith, [4]))) as WorkerCrashedError
    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.exitCode).toBe(4)
    expect(error.pid).toBe(process.pid)
    expect(await pool.apply(double, [5])).toBe(10)
    const s = pool.snapshot()
    expect(s.workers[0].restarts).toBe(1)
    expect(s.crashedWorkers).toBe(1)
  })

  it('a task past its timeout rejects with TaskTimeoutError and its thread is replaced, even in a CPU loop', async () => {
    const pool = openPool({ backend: 'thread', workers: 1 })
    expect(await rejectionOf(pool.apply(hang, [], { timeoutMs: 100 }))).toBeInstanceOf(TaskTimeoutError)
    expect(await rejectionOf(pool.apply(spin, [], { timeoutMs: 100 }))).toBeInstanceOf(TaskTimeoutError)
    expect(await pool.apply(double, [6])).toBe(12)
    expect(pool.snapshot().workers[0].restarts).toBe(2)
  })

  it('a thread flooding stdout completes, and its output arrives as output events', async () => {
    const pool = openPool({ backend: 'thread', workers: 1 })
    const bytes = 1024 * 1024
    let received = 0
    pool.on('output', ({ stream, text }) => {
      if (stream === 'stdout') received += Buffer.byteLength(text)
    })
    expect(await pool.apply(flood, [bytes])).toBe(bytes)
    await waitFor('all flooded bytes to arrive', () => received === bytes)
  })

  it('runs the initializer once per thread: each thread has its own globals', async () => {
    const pool = openPool({ backend: 'thread', workers: 2, initializer: { fn: init, args: ['threaded'] } })
    const seen = await pool.map<{ initCount: number; tag: string }>(readInit, range(8), { chunksize: 1 })
    for (const s of seen) expect(s).toMatchObject({ initCount: 1, tag: 'threaded' })
  })
})

describe('ThreadAdapter', () => {
  it('reports its exit exactly once, also to a listener added after the thread ended', async () => {
    const adapter = new ThreadAdapter({ workerScript, name: 'bare-thread' })
    const first = new Promise<WorkerExit>((resolve) => adapter.onExit(resolve))
    adapter.kill()
    const exit = await first
    expect(exit.signal).toBeNull()
    const late = await new Promise<WorkerExit>((resolve) => adapter.onExit(resolve))
    expect(late).toBe(exit)
    // Killing or sending after the end is harmless.
    adapter.kill()
    adapter.send({ type: 'shutdown' })
  })
  it('stop(graceMs) lets an idle thread leave by itself, with exit code 0', async () => {
    const adapter = new ThreadAdapter({ workerScript, name: 'stopping-thread' })
    await readyOf(adapter)
    expect(await adapter.stop(10_000)).toEqual({ code: 0, signal: null })
  })

  it('stop(graceMs) terminates a thread stuck in a CPU loop once the grace period is over', async () => {
    const adapter = new ThreadAdapter({ workerScript, name: 'stuck-thread' })
    await readyOf(adapter)
    await spinning(adapter)
    const exit = await adapter.stop(200)
    // terminate() ends a thread with exit code 1, never a signal.
    expect(exit).toEqual({ code: 1, signal: null })
  })
})

/** Starts the thread's worker runtime and waits for its `ready`. */
async function readyOf(adapter: ThreadAdapter): Promise<void> {
  const ready = new Promise<void>((resolve) => adapter.onMessage((m) => m.type === 'ready' && resolve()))
  adapter.send({ type: 'init', workerId: 0, name: 'stop' })
  await ready
}

/** Starts hang.cjs `spinLoudly` in the worker and resolves once its CPU loop has begun. */
async function spinning(adapter: ThreadAdapter): Promise<void> {
  const said = new Promise<void>((resolve) => adapter.onOutput((_stream, text) => text.includes('spinning') && resolve()))
  adapter.send({ type: 'run', units: [{ id: 1, fn: { module: poolFixture('hang.cjs'), export: 'spinLoudly' }, args: [] }] })
  await said
}
