import { mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LaunchOutput, LaunchUpdate } from '../../../shared/contract'
import { Launch, type LaunchOptions } from '../../../main/launch/launch'
import { CommandNotFoundError, NotInTreeError, WorkingFolderNotFoundError } from '../../../main/launch/launch-errors'
import { defaultPlatform } from '../../../main/platform'
import { ManualClock } from '../monitor/manual-clock'
import { eventually, fixturePath, survivorsBySignalZero } from '../platform/fixture-process'

const isPosix = process.platform !== 'win32'
const node = process.execPath
const platform = defaultPlatform()
const launches: Launch[] = []
let counter = 0

async function launch(options: LaunchOptions): Promise<Launch> {
  const started = await Launch.start(`launch-${++counter}`, { sampleMs: 100, ...options })
  launches.push(started)
  return started
}

/** The pids a spawn-tree or fork-and-exit fixture printed. */
async function printedPids(l: Launch): Promise<number[]> {
  let line: string | undefined
  await eventually(() => (line = l.output('stdout').lines.find((text) => text.includes('{"pids"'))) !== undefined)
  return JSON.parse((line as string).slice((line as string).indexOf('{'))).pids
}

afterEach(async () => {
  await Promise.all(launches.splice(0).map((l) => l.dispose()))
})

describe('Launch', () => {
  it('runs argv without a shell, so nothing in it is expanded', async () => {
    const l = await launch({ argv: [node, '-e', 'console.log(process.argv.slice(1).join("|"))', 'a b', '$HOME', '*'] })
    await l.ended
    expect(l.output('stdout').lines).toEqual(['a b|$HOME|*'])
    expect(l.exit).toEqual({ code: 0, signal: null })
  })

  it.skipIf(!isPosix)('runs through the shell when asked', async () => {
    const l = await launch({ argv: ['echo $((1 + 2)) && echo second'], shell: true })
    await l.ended
    expect(l.output('stdout').lines).toEqual(['3', 'second'])
  })

  it('runs in the working folder with the environment additions', async () => {
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'launch-cwd-')))
    try {
      const l = await launch({
        argv: [node, '-e', 'console.log(process.cwd()); console.log(process.env.POOLSCOPE_TEST_VALUE); console.log(typeof process.env.PATH)'],
        cwd: folder,
        env: { POOLSCOPE_TEST_VALUE: 'forty-two' }
      })
      await l.ended
      expect(l.output('stdout').lines).toEqual([folder, 'forty-two', 'string'])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('reports the exit code, and the signal when killed', async () => {
    const exits = await launch({ argv: [node, '-e', 'process.stderr.write("bye\\n"); process.exit(3)'] })
    expect(await exits.exited).toEqual({ code: 3, signal: null })
    await exits.ended
    expect(exits.output('stderr').lines).toEqual(['bye'])

    const killed = await launch({ argv: [node, '-e', 'setInterval(() => {}, 1000)'] })
    await killed.signal({ action: 'kill', scope: 'process' })
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' })
  })

  it('fails clearly for a command that does not exist', async () => {
    const attempt = Launch.start('launch-x', { argv: ['poolscope-no-such-command', '--flag'] })
    await expect(attempt).rejects.toThrow(CommandNotFoundError)
    await expect(attempt).rejects.toThrow('command not found: poolscope-no-such-command')
  })

  it('fails clearly for a working folder that does not exist', async () => {
    await expect(Launch.start('launch-x', { argv: [node, '-e', '0'], cwd: '/no/such/folder' })).rejects.toThrow(WorkingFolderNotFoundError)
  })

  it('keeps only the last lines of a flood and counts the dropped ones', async () => {
    const l = await launch({ argv: [node, fixturePath('flood-stdout.cjs'), '50000'], logLines: 100 })
    const events: LaunchOutput[] = []
    l.on('output', (event) => events.push(event))
    await l.ended
    const { lines, droppedLines } = l.output('stdout')
    expect(lines).toHaveLength(100)
    expect(lines[0]).toBe('line 49901')
    expect(lines[99]).toBe('line 50000')
    expect(droppedLines).toBe(49_900)
    expect(events.at(-1)).toMatchObject({ launchId: l.launchId, stream: 'stdout', droppedLines: 49_900 })
    expect(events.at(-1)?.lines.at(-1)).toBe('line 50000')
    for (const event of events) expect(event.lines.length).toBeLessThanOrEqual(100)
  })

  it('reports no pending stop and its grace period in every update', async () => {
    const l = await launch({ argv: [node, '-e', 'setTimeout(() => {}, 200)'], graceMs: 1234 })
    const updates: LaunchUpdate[] = []
    l.on('update', (update) => updates.push(update))
    await l.ended
    expect(updates.length).toBeGreaterThan(0)
    for (const update of updates) expect(update).toMatchObject({ graceMs: 1234, stopDeadlineAt: null })
    expect(l.summary()).toMatchObject({ launchId: l.launchId, pid: l.pid, graceMs: 1234, exit: { code: 0, signal: null } })
  })

  it('gives everything it keeps in one detail: tree, each process’s history, log tails', async () => {
    const l = await launch({
      argv: [node, '-e', 'console.log("a"); console.log("b"); console.error("c"); setInterval(() => {}, 1000)'],
      outputFlushMs: 60_000
    })
    const events: LaunchOutput[] = []
    l.on('output', (event) => events.push(event))
    await eventually(() => l.output('stdout').lines.length === 2 && l.output('stderr').lines.length === 1)
    await eventually(async () => (await l.refresh()).length === 1 && l.history(l.pid).length > 0)
    expect(events).toEqual([])

    const detail = l.detail(1)
    expect(detail).toMatchObject({ launchId: l.launchId, argv: l.argv, pid: l.pid, exit: undefined, stopDeadlineAt: null })
    expect(detail.tree.map((n) => n.pid)).toEqual([l.pid])
    expect(detail.history).toEqual([{ pid: l.pid, points: l.history(l.pid) }])
    expect(detail.output).toEqual({ stdout: { lines: ['b'], droppedLines: 0 }, stderr: { lines: ['c'], droppedLines: 0 } })
    // Lines that were waiting for their batch went out first, so a window starting from this
    // detail does not get them again.
    expect(events.map((e) => [e.stream, e.lines])).toEqual([
      ['stdout', ['a', 'b']],
      ['stderr', ['c']]
    ])
    expect(l.detail().output.stdout.lines).toEqual(['a', 'b'])
  })

  it('streams updates with the tree while running and the exit at the end', async () => {
    const l = await launch({ argv: [node, '-e', 'setTimeout(() => {}, 300)'] })
    const updates: LaunchUpdate[] = []
    l.on('update', (update) => updates.push(update))
    await l.ended
    const running = updates.find((update) => update.tree.length > 0)
    expect(running?.tree[0]).toMatchObject({ pid: l.pid, ppid: process.pid, name: 'node', rssBytes: expect.any(Number) })
    expect(running?.exit).toBeUndefined()
    expect(updates.at(-1)).toMatchObject({ launchId: l.launchId, tree: [], exit: { code: 0, signal: null } })
    expect(l.state).toBe('ended')
  })

  it.skipIf(!isPosix)('watches a script that forks children and exits, counting the children', async () => {
    const l = await launch({ argv: [node, fixturePath('fork-and-exit.cjs'), 'parent', '3', '100'] })
    const pids = await printedPids(l)
    const tree = await l.refresh()
    expect(tree.map((n) => n.pid).sort()).toEqual([l.pid, ...pids].sort())
    expect(tree.filter((n) => n.ppid === l.pid).map((n) => n.pid).sort()).toEqual([...pids].sort())
    expect(l.history(pids[0]).length).toBeGreaterThan(0)

    process.kill(l.pid, 'SIGUSR2')
    await l.ended
    expect(l.exit).toEqual({ code: 0, signal: null })
    expect(l.output('stdout').lines.at(-1)).toBe('done')
    expect(l.stats()).toMatchObject({ peakProcessCount: 4, processCount: 4 })
    expect(survivorsBySignalZero(pids)).toEqual([])
  })

  it.skipIf(!isPosix)('escalates stop to SIGKILL when SIGTERM is ignored for the grace period', async () => {
    const clock = new ManualClock()
    const l = await launch({ argv: [node, fixturePath('ignore-sigterm.cjs')], clock, graceMs: 3000 })
    await eventually(() => l.output('stdout').lines.includes('ready'))

    const updates: LaunchUpdate[] = []
    l.on('update', (update) => updates.push(update))
    expect(await l.signal({ action: 'stop', scope: 'process' })).toEqual([l.pid])
    const deadline = clock.now() + 3000
    expect(l.stopDeadlineAt).toBe(deadline)
    await eventually(() => l.output('stdout').lines.includes('ignored SIGTERM'))
    expect(l.state).toBe('running')
    // The UI counts down from what the updates and the detail say.
    await l.refresh()
    expect(updates.at(-1)).toMatchObject({ graceMs: 3000, stopDeadlineAt: deadline })
    expect(l.detail()).toMatchObject({ graceMs: 3000, stopDeadlineAt: deadline })

    clock.advance(2999)
    expect(l.state).toBe('running')
    clock.advance(1)
    expect(await l.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(l.stopDeadlineAt).toBeUndefined()
    await l.ended
    expect(updates.at(-1)).toMatchObject({ tree: [], stopDeadlineAt: null })
  })

  it.skipIf(!isPosix)('stops a whole tree whose members go on SIGTERM before the grace period ends', async () => {
    const clock = new ManualClock()
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '1'], clock })
    await eventually(() => l.output('stdout').lines.length > 0 || l.state !== 'running')
    const pids = JSON.parse(l.output('stdout').lines[0]).pids as number[]
    const signalled = await l.signal({ action: 'stop', scope: 'tree' })
    expect(signalled.sort()).toEqual([l.pid, ...pids].sort())
    expect(await l.exited).toEqual({ code: null, signal: 'SIGTERM' })
    await eventually(() => pids.every((pid) => !platform.isProcessAlive(pid)))
    await l.refresh()
    await l.ended
    expect(clock.pendingCount).toBe(0)
  })

  it.skipIf(!isPosix)('kills the whole tree so that no process of it survives', async () => {
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '3', '2', '--detach-grandchildren'] })
    const pids = await printedPids(l)
    await l.refresh()
    const all = [l.pid, ...pids]

    const signalled = await l.signal({ action: 'kill', scope: 'tree' })
    expect(signalled.sort()).toEqual([...all].sort())
    expect(all.filter((pid) => platform.isProcessAlive(pid))).toEqual([])
    expect(survivorsBySignalZero(all)).toEqual([])
    expect(await l.exited).toEqual({ code: null, signal: 'SIGKILL' })
    await l.ended
  })

  it.skipIf(!isPosix)('still reaches and kills the tree after the command itself has exited', async () => {
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '1', '--orphan'] })
    const pids = await printedPids(l)
    await l.exited
    await eventually(async () => (await l.refresh()).length === pids.length)
    expect(l.state).toBe('exited')

    await l.signal({ action: 'kill', scope: 'tree' })
    expect(survivorsBySignalZero(pids)).toEqual([])
    await l.refresh()
    await l.ended
    expect(l.state).toBe('ended')
  })

  it.skipIf(!isPosix)('interrupts one process of the tree, leaving the others', async () => {
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '0'] })
    const [first, second] = await printedPids(l)
    await l.refresh()
    expect(await l.signal({ action: 'interrupt', scope: 'process', pid: first })).toEqual([first])
    await eventually(async () => !(await l.refresh()).some((n) => n.pid === first))
    expect(platform.isProcessAlive(second)).toBe(true)
    expect(l.state).toBe('running')
  })

  it.skipIf(!isPosix)('kills the subtree under one process, leaving its siblings', async () => {
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '2'] })
    await printedPids(l)
    const tree = await l.refresh()
    const [first, second] = tree.filter((n) => n.ppid === l.pid).map((n) => n.pid)
    const under = (pid: number) => tree.filter((n) => n.ppid === pid).map((n) => n.pid)

    const signalled = await l.signal({ action: 'kill', scope: 'tree', pid: first })
    expect(signalled.sort()).toEqual([first, ...under(first)].sort())
    expect(survivorsBySignalZero([first, ...under(first)])).toEqual([])
    expect([l.pid, second, ...under(second)].every((pid) => platform.isProcessAlive(pid))).toBe(true)
  })

  it('refuses to signal a process outside its tree', async () => {
    const l = await launch({ argv: [node, '-e', 'setInterval(() => {}, 1000)'] })
    await expect(l.signal({ action: 'kill', scope: 'process', pid: process.pid })).rejects.toThrow(NotInTreeError)
    await expect(l.signal({ action: 'kill', scope: 'tree', pid: process.ppid })).rejects.toThrow(NotInTreeError)
    expect(platform.isProcessAlive(l.pid)).toBe(true)
  })

  it.skipIf(!isPosix)('kills everything and stops its timers when disposed', async () => {
    const clock = new ManualClock()
    const l = await launch({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '1'], clock })
    const pids = await printedPids(l)
    await l.dispose()
    expect(survivorsBySignalZero([l.pid, ...pids])).toEqual([])
    expect(l.state).toBe('ended')
    expect(clock.pendingCount).toBe(0)
  })
})
