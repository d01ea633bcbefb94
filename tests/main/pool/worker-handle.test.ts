import { afterEach, describe, expect, it, vi } from 'vitest'
import { fnKey, type ToWorker } from '../../../main/pool/protocol'
import type { UnitRecord } from '../../../main/pool/unit-record'
import type { WorkerAdapter, WorkerExit } from '../../../main/pool/worker-adapter'
import { WorkerHandle } from '../../../main/pool/worker-handle'

/** An adapter that runs nothing: it records what it is sent and how it is stopped. */
function fakeAdapter(options: { refuse?: (message: ToWorker) => boolean } = {}) {
  const sent: ToWorker[] = []
  const calls: string[] = []
  const adapter: WorkerAdapter = {
    pid: 4242,
    send(message) {
      if (options.refuse?.(message)) throw new Error('cannot encode')
      sent.push(message)
    },
    onMessage() {},
    onExit() {},
    onOutput() {},
    kill: () => void calls.push('kill'),
    stop: (graceMs) => {
      calls.push(`stop ${graceMs}`)
      return new Promise<WorkerExit>(() => {})
    }
  }
  return { adapter, sent, calls }
}

let nextId = 1
function unit(overrides: Partial<UnitRecord> = {}): UnitRecord {
  const fn = 'builtin:identity'
  return {
    id: nextId++,
    fn,
    fnKey: fnKey(fn),
    args: [1],
    inputs: undefined,
    chunk: undefined,
    size: 1,
    timeoutMs: undefined,
    retries: 0,
    signal: undefined,
    state: 'dispatched',
    attempts: 0,
    worker: undefined,
    resolve: () => {},
    reject: () => {},
    ...overrides
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('WorkerHandle', () => {
  it('goes starting → idle → busy → idle as it becomes ready, is given a unit and reports it', () => {
    const { adapter } = fakeAdapter()
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, () => {})
    expect(worker.state).toBe('starting')
    expect(worker.canTakeWork).toBe(false)
    expect(worker.markReady()).toBe(true)
    expect(worker.state).toBe('idle')
    const u = unit()
    worker.give(u)
    expect(worker.state).toBe('busy')
    worker.flush()
    expect(worker.finish(u.id)).toBe(u)
    expect(worker.state).toBe('idle')
    expect(worker.snapshot()).toMatchObject({ state: 'idle', unitsDone: 1, currentUnitId: undefined })
  })

  it('sends the units of one dispatch as one message, naming a function by number after its first use', () => {
    const { adapter, sent } = fakeAdapter()
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, () => {})
    worker.markReady()
    const [a, b] = [unit(), unit()]
    worker.give(a)
    worker.give(b)
    expect(sent).toEqual([])
    worker.flush()
    expect(sent).toEqual([
      {
        type: 'run',
        units: [
          { id: a.id, fn: 'builtin:identity', fnId: 0, args: [1] },
          { id: b.id, fn: 0, args: [1] }
        ]
      }
    ])
  })

  it('drops from its line only the units the channel cannot encode, and reports them', () => {
    const { adapter, sent } = fakeAdapter({ refuse: (m) => m.type === 'run' && m.units.some((u) => 'args' in u && u.args[0] === 'bad') })
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, () => {})
    worker.markReady()
    const good = unit()
    const bad = unit({ args: ['bad'] })
    worker.give(good)
    worker.give(bad)
    const lost = worker.flush()
    expect(lost.map((l) => l.unit)).toEqual([bad])
    expect(worker.lineLength).toBe(1)
    expect(worker.unitsGiven).toBe(1)
    // The failed batch defined the function; the resend defines it again.
    expect(sent).toEqual([{ type: 'run', units: [{ id: good.id, fn: 'builtin:identity', fnId: 1, args: [1] }] }])
  })

  it('stop(graceMs) asks the adapter for a graceful stop once; kill() after it still kills', () => {
    const { adapter, calls } = fakeAdapter()
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, () => {})
    worker.markReady()
    worker.stop(500)
    worker.stop(500)
    expect(worker.state).toBe('stopping')
    expect(worker.isExitExpected).toBe(true)
    expect(worker.markReady()).toBe(false)
    worker.kill()
    expect(calls).toEqual(['stop 500', 'kill'])
    expect(worker.markExited()).toBe('stopping')
    worker.kill()
    expect(calls).toEqual(['stop 500', 'kill'])
  })

  it('times the running unit from when it reaches the head of the line, then hands it over and kills the worker', () => {
    vi.useFakeTimers()
    const { adapter, calls } = fakeAdapter()
    const overdue: UnitRecord[] = []
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, (u) => overdue.push(u))
    worker.markReady()
    const slow = unit({ timeoutMs: 100 })
    worker.give(slow)
    worker.flush()
    vi.advanceTimersByTime(99)
    expect(overdue).toEqual([])
    vi.advanceTimersByTime(1)
    expect(overdue).toEqual([slow])
    expect(worker.lineLength).toBe(0)
    expect(calls).toEqual(['kill'])
  })

  it('clears the timer of a unit that finished in time', () => {
    vi.useFakeTimers()
    const { adapter, calls } = fakeAdapter()
    const overdue: UnitRecord[] = []
    const worker = new WorkerHandle(0, 'w-1', 0, adapter, (u) => overdue.push(u))
    worker.markReady()
    const quick = unit({ timeoutMs: 100 })
    worker.give(quick)
    worker.flush()
    worker.finish(quick.id)
    vi.advanceTimersByTime(1000)
    expect(overdue).toEqual([])
    expect(calls).toEqual([])
  })
})
