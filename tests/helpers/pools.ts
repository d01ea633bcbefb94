/**
 * Opening pools and processes in tests: each is given the built worker entry and is registered
 * for clean-up, so every test leaves no worker behind whether it passed or failed.
 */
import { afterEach } from 'vitest'
import { Pool } from '../../main/pool/pool'
import { Process, type ProcessOptions } from '../../main/pool/process'
import type { PoolOptions } from '../../main/pool/types'
import { workerScript } from './paths'

/**
 * Registers an `afterEach` that terminates every pool opened through the returned function.
 * Call once at the top of a test file (or `describe`).
 */
export function usePools(): (options?: PoolOptions) => Pool {
  const open: Pool[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((pool) => pool.terminate()))
  })
  return (options = {}) => {
    const pool = new Pool({ workers: 2, workerScript, ...options })
    open.push(pool)
    return pool
  }
}

/** Like `usePools`, for single processes: any still alive after a test is killed and joined. */
export function useProcesses(): (options: ProcessOptions) => Process {
  const open: Process[] = []
  afterEach(async () => {
    await Promise.all(
      open.splice(0).map(async (p) => {
        if (!p.isAlive()) return
        p.kill()
        await p.join()
      })
    )
  })
  return (options) => {
    const p = new Process({ workerScript, ...options })
    open.push(p)
    return p
  }
}

/**
 * A parent-side service that holds tasks until the test lets them go: the `gated` fixture calls
 * `gate.enter()` and returns only once `open()` has been called. `entered` counts arrivals, so a
 * test knows a task is really running (not merely dispatched) without sleeping.
 */
export function createGate() {
  let release!: () => void
  const opened = new Promise<void>((resolve) => (release = resolve))
  const arrivals: { workerName: string }[] = []
  const waiters: (() => void)[] = []
  return {
    service: {
      enter(caller: { workerName: string }): Promise<void> {
        arrivals.push({ workerName: caller.workerName })
        for (const wake of waiters.splice(0)) wake()
        return opened
      }
    },
    /** Resolves once `count` tasks have reached the gate. */
    async entered(count = 1): Promise<void> {
      while (arrivals.length < count) await new Promise<void>((resolve) => waiters.push(resolve))
    },
    get arrivals() {
      return arrivals.length
    },
    open: () => release()
  }
}
