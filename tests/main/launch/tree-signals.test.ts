import { afterEach, describe, expect, it } from 'vitest'
import { NotInTreeError } from '../../../main/launch/launch-errors'
import { TreeSignals } from '../../../main/launch/tree-signals'
import { TreeWatcher } from '../../../main/launch/tree-watcher'
import type { Platform, ProcessInfo, SignalAction } from '../../../main/platform'
import { ManualClock } from '../monitor/manual-clock'

/** A root (pid 10) with one child (pid 11); nothing is signalled for real. */
function row(pid: number, ppid: number, startToken = `t${pid}`): ProcessInfo {
  return { pid, ppid, pgid: 10, name: 'node', command: 'node', cpuTimeMs: 0, cpuPercent: undefined, rssBytes: 1, ageMs: undefined, startToken, state: 'running' }
}

function setup() {
  const clock = new ManualClock()
  let rows = [row(10, 1), row(11, 10)]
  const sent: { pid: number; action: SignalAction }[] = []
  const killedTrees: { top: number; signal: NodeJS.Signals }[] = []
  const platform = {
    listTree: async () => rows,
    readUsage: async (pids: readonly number[]) => rows.filter((r) => pids.includes(r.pid)),
    signalProcess: (pid: number, action: SignalAction) => {
      sent.push({ pid, action })
      return rows.some((r) => r.pid === pid)
    },
    killTree: async (top: number, signal: NodeJS.Signals) => {
      killedTrees.push({ top, signal })
      return rows.map((r) => r.pid)
    }
  } as unknown as Platform
  const watcher = new TreeWatcher({ rootPid: 10, processGroup: 10, platform, clock })
  const signals = new TreeSignals({ launchId: 'launch-1', rootPid: 10, graceMs: 3000, watcher, platform, clock })
  return { clock, signals, watcher, sent, killedTrees, setRows: (next: ProcessInfo[]) => (rows = next) }
}

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('TreeSignals', () => {
  it('follows a stop of one process with a kill once the grace period is over', async () => {
    const { clock, signals, watcher, sent } = setup()
    cleanup = () => signals.cancelEscalations()
    await watcher.refresh()
    expect(await signals.send({ action: 'stop', scope: 'process', pid: 11 }, true)).toEqual([11])
    expect(signals.stopDeadlineAt).toBe(clock.now() + 3000)
    clock.advance(3000)
    await new Promise((resolve) => setImmediate(resolve))
    expect(sent).toEqual([
      { pid: 11, action: 'stop' },
      { pid: 11, action: 'kill' }
    ])
    expect(signals.stopDeadlineAt).toBeUndefined()
  })

  it('does not kill a process that took the pid after the stopped one exited', async () => {
    const { clock, signals, watcher, sent, setRows } = setup()
    await watcher.refresh()
    await signals.send({ action: 'stop', scope: 'process', pid: 11 }, true)
    setRows([row(10, 1), row(11, 10, 'someone-else')])
    clock.advance(3000)
    await new Promise((resolve) => setImmediate(resolve))
    expect(sent).toEqual([{ pid: 11, action: 'stop' }])
  })

  it('stops and then kills the whole tree through the platform', async () => {
    const { clock, signals, killedTrees } = setup()
    cleanup = () => signals.cancelEscalations()
    expect(await signals.send({ action: 'stop', scope: 'tree' }, true)).toEqual([10, 11])
    clock.advance(3000)
    await new Promise((resolve) => setImmediate(resolve))
    expect(killedTrees).toEqual([
      { top: 10, signal: 'SIGTERM' },
      { top: 10, signal: 'SIGKILL' }
    ])
  })

  it('drops a pending kill when its escalations are cancelled', async () => {
    const { clock, signals, watcher, sent } = setup()
    await watcher.refresh()
    await signals.send({ action: 'stop', scope: 'process', pid: 11 }, true)
    signals.cancelEscalations()
    expect(signals.stopDeadlineAt).toBeUndefined()
    clock.advance(10_000)
    expect(sent).toEqual([{ pid: 11, action: 'stop' }])
  })

  it('refuses a pid outside the tree, and sends nothing to an exited command by default', async () => {
    const { signals, watcher, sent, setRows } = setup()
    await expect(signals.send({ action: 'kill', scope: 'process', pid: 99 }, true)).rejects.toThrow(NotInTreeError)
    setRows([])
    await watcher.refresh()
    expect(await signals.send({ action: 'interrupt', scope: 'process' }, false)).toEqual([])
    expect(sent).toEqual([])
  })
})
