import { afterEach, describe, expect, it } from 'vitest'
import type { ProcNode } from '../../../shared/contract'
import { TreeWatcher } from '../../../main/launch/tree-watcher'
import { ManualClock } from '../monitor/manual-clock'
import { eventually, killStarted, startTree } from '../platform/fixture-process'

let watcher: TreeWatcher | undefined
let leftovers: number[] = []

afterEach(() => {
  watcher?.stop()
  watcher = undefined
  killStarted(leftovers)
  leftovers = []
})

describe('TreeWatcher', () => {
  it.skipIf(process.platform === 'win32')('lists the whole tree with CPU and memory of each process', async () => {
    const { child, pids } = await startTree(['2', '1'])
    leftovers = pids
    watcher = new TreeWatcher({ rootPid: child.pid as number, processGroup: child.pid })
    const tree = await watcher.refresh()
    expect(tree.map((node) => node.pid).sort()).toEqual([child.pid, ...pids].sort())
    const root = tree[0]
    expect(root).toMatchObject({ pid: child.pid, ppid: process.pid, name: 'node', state: expect.any(String) })
    expect(root.command).toContain('spawn-tree.cjs')
    for (const node of tree) expect(node.rssBytes).toBeGreaterThan(0)
    for (const node of tree) expect(node.cpuPercent).toBeGreaterThanOrEqual(0)
  })

  it.skipIf(process.platform === 'win32')('follows children as they go and keeps a bounded history per process', async () => {
    const { child, pids } = await startTree(['2', '0'])
    leftovers = pids
    watcher = new TreeWatcher({ rootPid: child.pid as number, processGroup: child.pid, historyLength: 2 })
    await watcher.refresh()
    process.kill(pids[0], 'SIGKILL')
    // Until its parent reaps it, the killed child is listed as a zombie.
    await eventually(async () => !(await watcher?.refresh())?.some((node) => node.pid === pids[0]))
    await watcher.refresh()
    expect(watcher.history(child.pid as number)).toHaveLength(2)
    expect(watcher.history(pids[0]).length).toBeGreaterThanOrEqual(1)
    expect(watcher.history(pids[0]).length).toBeLessThanOrEqual(2)
    const stats = watcher.stats()
    expect(stats.peakProcessCount).toBe(3)
    expect(stats.processCount).toBe(3)
    expect(stats.byName).toEqual([{ name: 'node', processes: 3, cpuMs: expect.any(Number) }])
  })

  it('scans at its rate and leaves no timer once stopped', async () => {
    const clock = new ManualClock()
    watcher = new TreeWatcher({ rootPid: process.pid, sampleMs: 500, clock })
    const scans: ProcNode[][] = []
    watcher.on('tree', (tree) => scans.push(tree))
    watcher.start()
    await eventually(() => clock.pendingCount === 1)
    expect(clock.nextDueMs).toBe(clock.now() + 500)
    const next = new Promise<void>((resolve) => watcher?.once('tree', () => resolve()))
    clock.advance(500)
    await next
    expect(scans).toHaveLength(2)
    expect(scans[0][0].pid).toBe(process.pid)
    watcher.stop()
    expect(clock.pendingCount).toBe(0)
  })
})
