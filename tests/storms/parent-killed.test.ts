/**
 * The parent SIGKILLed during a run: it cannot clean up, so its workers must die on their own —
 * by the kernel's parent-death signal where Linux offers it, by the worker's watchdog thread
 * elsewhere (forced here with POOLSCOPE_USE_PDEATHSIG=0). Both run with the workers busy in a CPU
 * loop, where an IPC 'disconnect' would go unseen. Pids are checked in /proc.
 */
import { describe, expect, it } from 'vitest'
import { runCli, useCliWorkers } from '../helpers/cli'
import { isRunning } from '../helpers/processes'
import { waitFor } from '../helpers/wait-for'

/** The bound: no worker of a SIGKILLed parent alive 2 s later (polled, not slept). */
const ORPHAN_DEADLINE_MS = 2_000

const workersOf = useCliWorkers()

describe('the CLI SIGKILLed during a run', () => {
  it.each([
    ['the parent-death signal', {}],
    ['the watchdog thread', { POOLSCOPE_USE_PDEATHSIG: '0' }]
  ])('leaves no worker alive 2 s later (%s)', async (_how, env) => {
    let workers: number[] = []
    const { signal } = await runCli(
      // Sums long enough to keep both workers in their CPU loop for minutes.
      ['run', 'heavy-sum', '--workers', '2', '--set', 'n=9000000000', '--set', 'm=4'],
      async (cli) => {
        workers = await workersOf(cli.pid!, 2)
        process.kill(cli.pid!, 'SIGKILL')
      },
      { env }
    )
    expect(signal).toBe('SIGKILL')
    expect(workers).toHaveLength(2)
    await waitFor('every worker of the killed CLI to be gone', () => workers.every((pid) => !isRunning(pid)), {
      deadlineMs: ORPHAN_DEADLINE_MS
    })
    expect(workers.filter(isRunning)).toEqual([])
  })
})
