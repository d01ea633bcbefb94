/**
 * Fifty pools created and terminated back to back, half of them while their workers are still
 * starting: afterwards this process has as many child processes, open file descriptors and
 * process listeners as before. Counted, not assumed: descendants through the platform module,
 * descriptors in /proc/self/fd (Linux only), listeners with `process.listenerCount`.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Pool, type Backend } from '../../main/pool/index'
import { descendantsOf } from '../../main/platform/index'
import { workerScript } from '../helpers/paths'
import { reportSkip, skipUnless } from '../helpers/skip'
import { waitFor } from '../helpers/wait-for'

const POOLS = 50

interface Counts {
  processes: number
  fileDescriptors: number | undefined
  listeners: Record<string, number>
}

const hasProcSelfFd = skipUnless('proc-fd')
if (!hasProcSelfFd.isAvailable) reportSkip('file descriptor counts of the pool churn storm', hasProcSelfFd.reason!, hasProcSelfFd.enable!)

async function count(): Promise<Counts> {
  const listeners: Record<string, number> = {}
  for (const name of process.eventNames()) listeners[String(name)] = process.listenerCount(name)
  return {
    processes: (await descendantsOf(process.pid)).length,
    fileDescriptors: hasProcSelfFd.isAvailable ? readdirSync('/proc/self/fd').length : undefined,
    listeners
  }
}

/** One pool's life: start, maybe run one task, terminate. */
async function churn(backend: Backend, i: number): Promise<void> {
  const pool = new Pool({ workers: 2, backend, workerScript })
  try {
    if (i % 2 === 0) expect(await pool.apply('square:square', [i, 0])).toBe(i * i)
  } finally {
    await pool.terminate()
  }
}

describe(`${POOLS} pools created and terminated back to back`, () => {
  it.each(['process', 'thread'] as const)('leak no process, file descriptor or listener (%s backend)', async (backend) => {
    // One pool first: the engine installs a few process-wide hooks once (the exit hook that kills
    // live workers), which are not per-pool leaks.
    await churn(backend, 0)
    const before = await count()
    for (let i = 0; i < POOLS; i++) await churn(backend, i)
    // Exit events and pipe closes land a moment after terminate() resolves, the warm-up pool's
    // too (so `before` may still hold some of its pipes): a leak is a count above the baseline.
    const isWithin = (now: Counts) =>
      now.processes <= before.processes &&
      (now.fileDescriptors ?? 0) <= (before.fileDescriptors ?? 0) &&
      JSON.stringify(now.listeners) === JSON.stringify(before.listeners)
    const after = await waitFor(
      'the counts to return to their baseline',
      async () => {
        const now = await count()
        return isWithin(now) && now
      },
      { deadlineMs: 10_000 }
    ).catch(() => count())
    expect(after.processes).toBeLessThanOrEqual(before.processes)
    if (before.fileDescriptors !== undefined) expect(after.fileDescriptors).toBeLessThanOrEqual(before.fileDescriptors)
    expect(after.listeners).toEqual(before.listeners)
  })
})
