import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { Platform, defaultPlatform, isProcessAlive } from '../../../main/platform'
import { eventually, fixturePath, killStarted, startTree, survivorsBySignalZero } from './fixture-process'

const isPosix = process.platform !== 'win32'
let leftovers: number[] = []

afterEach(() => {
  killStarted(leftovers)
  leftovers = []
})

describe('Platform', () => {
  const platform = defaultPlatform()

  it('reports this process as alive and an exited child as gone', async () => {
    const child = spawn(process.execPath, ['-e', '0'])
    await once(child, 'exit')
    expect(isProcessAlive(process.pid)).toBe(true)
    expect(isProcessAlive(child.pid as number)).toBe(false)
  })

  it('never treats 0, negative or fractional pids as processes', () => {
    expect(platform.isProcessAlive(0)).toBe(false)
    expect(platform.isProcessAlive(-1)).toBe(false)
    expect(platform.isProcessAlive(1.5)).toBe(false)
    expect(platform.signalProcess(0, 'kill')).toBe(false)
  })

  it('lists this process with its parent, a name and memory', async () => {
    const all = await platform.listProcesses()
    const self = all.find((row) => row.pid === process.pid)
    expect(self).toMatchObject({ ppid: process.ppid })
    expect(self?.rssBytes).toBeGreaterThan(0)
    expect(self?.command).toContain(process.argv[1] ?? 'node')
  })

  it.skipIf(!isPosix)('lists a tree root first with every descendant once', async () => {
    const { child, pids } = await startTree(['2', '2'])
    leftovers = pids
    const tree = await platform.listTree(child.pid as number)
    expect(tree[0].pid).toBe(child.pid)
    expect(tree.map((row) => row.pid).sort()).toEqual([child.pid, ...pids].sort())
    const position = new Map(tree.map((row, index) => [row.pid, index]))
    for (const row of tree.slice(1)) expect(position.get(row.ppid)).toBeLessThan(position.get(row.pid) as number)
    expect((await platform.descendantsOf(child.pid as number)).sort()).toEqual([...pids].sort())
  })

  it.skipIf(!isPosix)('kills a whole tree so that no process of it survives', async () => {
    const { child, pids } = await startTree(['3', '2'])
    leftovers = pids
    const all = [child.pid as number, ...pids]
    const signalled = await platform.killTree(child.pid as number, 'SIGKILL')
    expect(signalled.sort()).toEqual([...all].sort())
    expect(all.filter((pid) => platform.isProcessAlive(pid))).toEqual([])
    expect(survivorsBySignalZero(all)).toEqual([])
  })

  it.skipIf(!isPosix)('kills grandchildren that left the process group', async () => {
    const { child, pids } = await startTree(['2', '2', '--detach-grandchildren'])
    leftovers = pids
    const all = [child.pid as number, ...pids]
    await platform.killTree(child.pid as number, 'SIGKILL', { processGroup: child.pid })
    expect(all.filter((pid) => platform.isProcessAlive(pid))).toEqual([])
    expect(survivorsBySignalZero(all)).toEqual([])
  })

  it.skipIf(!isPosix)('reaches children re-parented after their root exited through the process group', async () => {
    const { child, pids } = await startTree(['2', '1', '--orphan'])
    leftovers = pids
    await eventually(() => !platform.isProcessAlive(child.pid as number))
    expect(await platform.descendantsOf(child.pid as number)).toEqual([])
    const tree = await platform.listTree(child.pid as number, { processGroup: child.pid })
    expect(tree.map((row) => row.pid).sort()).toEqual([...pids].sort())
    await platform.killTree(child.pid as number, 'SIGKILL', { processGroup: child.pid })
    expect(survivorsBySignalZero(pids)).toEqual([])
  })

  it.skipIf(!isPosix)('reaches re-parented processes it was told about by pid', async () => {
    const { child, pids } = await startTree(['2', '1', '--orphan'], { detached: false })
    leftovers = pids
    // The root exits as soon as its tree is up, so its children are looked up by pid.
    const known = (await platform.listProcesses())
      .filter((row) => pids.includes(row.pid))
      .map((row) => ({ pid: row.pid, startToken: row.startToken }))
    expect(known).toHaveLength(pids.length)
    await eventually(() => !platform.isProcessAlive(child.pid as number))
    await platform.killTree(child.pid as number, 'SIGKILL', { known })
    expect(survivorsBySignalZero(pids)).toEqual([])
  })

  it.skipIf(!isPosix)('sends a gentle signal to every member of the tree', async () => {
    const { child, pids } = await startTree(['2', '1'])
    leftovers = pids
    const all = [child.pid as number, ...pids]
    const signalled = await platform.killTree(child.pid as number, 'SIGTERM', { processGroup: child.pid })
    expect(signalled.sort()).toEqual([...all].sort())
    await eventually(() => all.every((pid) => !platform.isProcessAlive(pid)))
  })

  it.skipIf(!isPosix)('maps stop, interrupt and kill to SIGTERM, SIGINT and SIGKILL', async () => {
    const child = spawn(process.execPath, [fixturePath('ignore-sigterm.cjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await eventually(() => output.includes('ready'))
    const pid = child.pid as number

    expect(platform.signalProcess(pid, 'stop')).toBe(true)
    await eventually(() => output.includes('ignored SIGTERM'))
    expect(platform.isProcessAlive(pid)).toBe(true)

    const exited = once(child, 'exit')
    expect(platform.signalProcess(pid, 'interrupt')).toBe(true)
    expect((await exited)[1]).toBe('SIGINT')
    expect(platform.signalProcess(pid, 'kill')).toBe(false)

    const other = spawn(process.execPath, [fixturePath('ignore-sigterm.cjs')], { stdio: 'ignore' })
    const otherExited = once(other, 'exit')
    await once(other, 'spawn')
    expect(platform.signalProcess(other.pid as number, 'kill')).toBe(true)
    expect((await otherExited)[1]).toBe('SIGKILL')
  })

  it('reads total and used memory', async () => {
    const memory = await platform.readMemory()
    expect(memory.totalBytes).toBeGreaterThan(0)
    expect(memory.usedBytes).toBeGreaterThan(0)
    expect(memory.usedBytes).toBeLessThanOrEqual(memory.totalBytes)
  })

  it.skipIf(process.platform !== 'linux')('falls back to ps when told to and finds the same tree', async () => {
    const viaPs = new Platform({ table: 'ps' })
    const { child, pids } = await startTree(['2', '1'])
    leftovers = pids
    expect(viaPs.table.source).toBe('ps')
    const tree = await viaPs.listTree(child.pid as number)
    expect(tree.map((row) => row.pid).sort()).toEqual([child.pid, ...pids].sort())
    await viaPs.killTree(child.pid as number, 'SIGKILL', { processGroup: child.pid })
    expect(survivorsBySignalZero([child.pid as number, ...pids])).toEqual([])
  })
})
