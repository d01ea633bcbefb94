/**
 * The worker entry's own guarantees: it starts nothing without a parent, and it never outlives
 * its parent, not even in the middle of a CPU loop that never returns to the event loop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { PARENT_DEATH_SIGNAL_OPT_OUT } from '../../../main/platform/parent-death'
import { cliBin, repoRoot, workerScript } from '../../helpers/paths'
import { childPids, cpuTicks, isRunning, signalIfRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

/** Clock ticks (normally 1/100 s) of CPU a worker must have burnt to be inside its task's loop. */
const BUSY_TICKS = 50

describe('the worker entry', () => {
  it('run without a parent channel starts nothing and exits at once', () => {
    const result = spawnSync(process.execPath, [workerScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(result.status).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('')
  })
})

describe('no orphans', () => {
  let parent: ChildProcess | undefined
  let workers: number[] = []

  afterEach(() => {
    // Only if the behaviour under test failed: never leave CPU hogs behind.
    for (const pid of workers) signalIfRunning(pid, 'SIGKILL')
    if (parent?.pid) signalIfRunning(parent.pid, 'SIGKILL')
    parent = undefined
    workers = []
  })

  const cpuLoop = ['heavy-sum', '--set', 'n=10000000000', '--set', 'm=2']
  // The kernel's parent-death signal where the platform module finds one (Linux with setpriv),
  // and the watchdog thread every OS falls back to, forced here with the opt-out variable.
  it.each([
    ['busy in a CPU loop', cpuLoop, true, {}],
    ['busy in a CPU loop, guarded by the watchdog thread', cpuLoop, true, { [PARENT_DEATH_SIGNAL_OPT_OUT]: '0' }],
    ['waiting on a timer', ['square', '--set', 'count=2', '--set', 'delayMs=60000'], false, {}]
  ])('workers %s exit on their own when their parent is SIGKILLed', async (_how, taskArgs, isCpuBound, env) => {
    parent = spawn(process.execPath, [cliBin, 'run', ...taskArgs, '--workers', '2', '--json'], {
      cwd: repoRoot,
      stdio: 'ignore',
      env: { ...process.env, ...env }
    })
    const parentPid = parent.pid!
    workers = await waitFor('the parent to start its two workers', () => {
      const pids = childPids(parentPid)
      return pids.length === 2 && pids
    }, { deadlineMs: 20_000 })
    if (isCpuBound) {
      await waitFor('both workers to be deep in their loops', () => workers.every((pid) => cpuTicks(pid) >= BUSY_TICKS), {
        deadlineMs: 20_000
      })
    }
    const parentGone = new Promise((resolve) => parent!.once('exit', resolve))
    parent.kill('SIGKILL')
    await parentGone
    await waitFor('every worker of the killed parent to be gone', () => workers.every((pid) => !isRunning(pid)))
  })
})
