import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import type { LaunchOutput, LaunchUpdate } from '../../../shared/contract'
import { Launcher } from '../../../main/launch/launcher'
import { CommandNotFoundError, UnknownLaunchError } from '../../../main/launch/launch-errors'
import { defaultPlatform } from '../../../main/platform'
import { eventually, fixturePath, survivorsBySignalZero } from '../platform/fixture-process'

const node = process.execPath
let launcher: Launcher | undefined

afterEach(async () => {
  await launcher?.dispose()
  launcher = undefined
})

describe('Launcher', () => {
  it('names launches launch-1, launch-2, … and lists them', async () => {
    launcher = new Launcher({ sampleMs: 100 })
    const first = await launcher.start({ argv: [node, '-e', '0'] })
    const second = await launcher.start({ argv: [node, '-e', 'setInterval(() => {}, 1000)'] })
    expect([first.launchId, second.launchId]).toEqual(['launch-1', 'launch-2'])
    await launcher.get('launch-1')?.ended
    expect(launcher.list()).toEqual([
      { launchId: 'launch-1', argv: [node, '-e', '0'], pid: first.pid, startedAt: expect.any(Number), exit: { code: 0, signal: null }, graceMs: 3000 },
      { launchId: 'launch-2', argv: [node, '-e', 'setInterval(() => {}, 1000)'], pid: second.pid, startedAt: expect.any(Number), exit: undefined, graceMs: 3000 }
    ])
    expect(second).toEqual(launcher.list()[1])
  })

  it('gives one launch’s detail by id and refuses unknown ids', async () => {
    launcher = new Launcher({ sampleMs: 100, graceMs: 500 })
    const { launchId, pid } = await launcher.start({ argv: [node, '-e', 'console.log("hi"); setInterval(() => {}, 1000)'] })
    await eventually(() => launcher?.get(launchId)?.output('stdout').lines.length === 1)
    expect(launcher.detail(launchId)).toMatchObject({ launchId, pid, graceMs: 500, output: { stdout: { lines: ['hi'] } } })
    expect(() => launcher?.detail('launch-99')).toThrow(UnknownLaunchError)
  })

  it('forwards output and updates of every launch', async () => {
    launcher = new Launcher({ sampleMs: 100, outputFlushMs: 10 })
    const outputs: LaunchOutput[] = []
    const updates: LaunchUpdate[] = []
    launcher.on('output', (output) => outputs.push(output))
    launcher.on('update', (update) => updates.push(update))
    const { launchId } = await launcher.start({ argv: [node, '-e', 'console.log("hello")'] })
    await launcher.get(launchId)?.ended
    expect(outputs).toEqual([{ launchId, stream: 'stdout', lines: ['hello'], droppedLines: 0 }])
    expect(updates.at(-1)).toMatchObject({ launchId, exit: { code: 0, signal: null } })
  })

  it('rejects a command that does not exist and keeps working', async () => {
    launcher = new Launcher()
    await expect(launcher.start({ argv: ['poolscope-no-such-command'] })).rejects.toThrow(CommandNotFoundError)
    const { launchId } = await launcher.start({ argv: [node, '-e', '0'] })
    expect(launcher.list().map((l) => l.launchId)).toEqual([launchId])
  })

  it('signals by launch id and refuses unknown ids', async () => {
    launcher = new Launcher()
    const { launchId, pid } = await launcher.start({ argv: [node, '-e', 'setInterval(() => {}, 1000)'] })
    await expect(launcher.signal({ launchId: 'launch-99', action: 'kill', scope: 'tree' })).rejects.toThrow(UnknownLaunchError)
    const exited = launcher.get(launchId)?.exited
    expect(await launcher.signal({ launchId, action: 'interrupt', scope: 'process' })).toEqual({ signalled: [pid] })
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' })
  })

  it.skipIf(process.platform === 'win32')('kills everything still running when disposed', async () => {
    launcher = new Launcher()
    const trees = await Promise.all([
      launcher.start({ argv: [node, fixturePath('spawn-tree.cjs'), 'root', '2', '1'] }),
      launcher.start({ argv: [node, fixturePath('ignore-sigterm.cjs')] })
    ])
    const first = launcher.get(trees[0].launchId)
    await once(first as NonNullable<typeof first>, 'output')
    const pids = [...(await first?.refresh() ?? []).map((n) => n.pid), trees[1].pid as number]
    expect(pids.length).toBeGreaterThan(2)
    await launcher.dispose()
    expect(pids.filter((pid) => defaultPlatform().isProcessAlive(pid))).toEqual([])
    expect(survivorsBySignalZero(pids)).toEqual([])
    await expect(launcher.start({ argv: [node, '-e', '0'] })).rejects.toThrow('disposed')
  })

  it('forgets the oldest ended launches beyond the number it keeps', async () => {
    launcher = new Launcher({ keepEnded: 1 })
    for (let i = 0; i < 3; i++) {
      const { launchId } = await launcher.start({ argv: [node, '-e', '0'] })
      await launcher.get(launchId)?.ended
    }
    expect(launcher.list().map((l) => l.launchId)).toEqual(['launch-3'])
  })
})
