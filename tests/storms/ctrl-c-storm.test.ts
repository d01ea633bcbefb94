/**
 * Ctrl-C pressed twenty times in a row during `poolscope run`, as an impatient user does: the run
 * stops once, prints one summary line, exits 130 (not killed by SIGINT half-way through its summary)
 * and leaves no worker behind. Real CLI processes and real workers; pids are checked in /proc.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { runCli, useCliWorkers } from '../helpers/cli'
import { isRunning } from '../helpers/processes'
import { waitFor } from '../helpers/wait-for'

const PRESSES = 20

const workersOf = useCliWorkers()

/** Sends SIGINT `PRESSES` times, `gapMs` apart; a press after the CLI has gone is simply not sent. */
async function pressCtrlC(target: number, gapMs: number): Promise<number> {
  let sent = 0
  for (let i = 0; i < PRESSES; i++) {
    try {
      process.kill(target, 'SIGINT')
      sent += 1
    } catch {
      break
    }
    if (gapMs > 0) await sleep(gapMs)
    else await new Promise((resolve) => setImmediate(resolve))
  }
  return sent
}

describe('a Ctrl-C storm during poolscope run', () => {
  it.each([
    { target: 'the CLI process', isGroup: false, gapMs: 0 },
    { target: 'the CLI process', isGroup: false, gapMs: 20 },
    { target: 'its whole process group, as a terminal does', isGroup: true, gapMs: 0 },
    { target: 'its whole process group, as a terminal does', isGroup: true, gapMs: 20 }
  ])(
    'to $target, presses $gapMs ms apart: one summary line, exit 130, no worker left',
    async ({ isGroup, gapMs }) => {
      let workers: number[] = []
      let sent = 0
      const { code, signal, stdout, stderr } = await runCli(
        ['run', 'square', '--workers', '2', '--set', 'count=20', '--set', 'delayMs=60000'],
        async (cli) => {
          workers = await workersOf(cli.pid!, 2)
          sent = await pressCtrlC(isGroup ? -cli.pid! : cli.pid!, gapMs)
        },
        { isOwnProcessGroup: isGroup }
      )
      expect(sent).toBeGreaterThanOrEqual(1)
      expect({ code, signal }).toEqual({ code: 130, signal: null })
      expect(stdout).toBe('')
      // The presses may land while the workers still load the task (before any task was sent) or
      // once all 20 wait in them: either way one line, and nothing done.
      expect(stderr).toMatch(/^poolscope: square stopped after \d+ ms — (0\/20 tasks done|before any task was sent), all workers stopped\n$/)
      expect(workers).toHaveLength(2)
      await waitFor('every worker of the stopped run to be gone', () => workers.every((pid) => !isRunning(pid)))
    }
  )

  it('stops a run with work in progress the same way, and its --json object says stopped', async () => {
    let workers: number[] = []
    const { code, signal, stdout, stderr } = await runCli(
      ['run', 'square', '--workers', '2', '--set', 'count=400', '--set', 'delayMs=50', '--json'],
      async (cli) => {
        workers = await workersOf(cli.pid!, 2)
        // The workers load the task's modules before the pool is ready and the task sends its
        // inputs; the run itself lasts 10 s, so after 1.5 s its work is under way.
        await sleep(1500)
        await pressCtrlC(-cli.pid!, 5)
      },
      { isOwnProcessGroup: true }
    )
    expect({ code, signal }).toEqual({ code: 130, signal: null })
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(stderr).toMatch(/^poolscope: square stopped after \d+ ms — \d+\/400 tasks done, all workers stopped\n$/)
    expect(JSON.parse(stdout)).toMatchObject({ task: 'square', ok: false, state: 'stopped' })
    await waitFor('every worker of the stopped run to be gone', () => workers.every((pid) => !isRunning(pid)))
  })
})
