import { Command } from 'commander'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { registerTasksCommand } from '../../../main/cli/tasks-command'
import type { TaskInfo } from '../../../shared/contract'
import { runCli } from '../../helpers/cli'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Runs `tasks` in this process on a bare program and returns what it printed. */
async function printedBy(args: string[]): Promise<string> {
  const program = new Command('poolscope').exitOverride()
  registerTasksCommand(program)
  let printed = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk)
    return true
  })
  await program.parseAsync(['tasks', ...args], { from: 'user' })
  vi.restoreAllMocks()
  return printed
}

describe('poolscope tasks', () => {
  it('--json lists the catalog with each parameter, its type, bounds and default', async () => {
    const infos = JSON.parse(await printedBy(['--json'])) as TaskInfo[]
    const heavySum = infos.find((t) => t.id === 'heavy-sum')
    expect(heavySum).toMatchObject({ title: 'Heavy sum', longRunning: false })
    expect(heavySum?.params.find((p) => p.name === 'n')).toMatchObject({ type: 'integer', min: 1, max: 10_000_000_000, default: 20_000_000 })
    const square = infos.find((t) => t.id === 'square')
    expect(square?.params.map((p) => p.name)).toEqual(['count', 'delayMs', 'mode'])
    expect(square?.params.find((p) => p.name === 'mode')).toMatchObject({ type: 'enum', options: ['map', 'apply-async'], default: 'map' })
    expect(new Set(infos.map((t) => t.id)).size).toBe(infos.length)
  })

  it('prints a table of ids, patterns and parameters with their defaults', async () => {
    const table = await printedBy([])
    expect(table).toContain('heavy-sum')
    expect(table).toContain('n=20000000')
    expect(table).toContain('square')
    expect(table).toContain('delayMs=500')
  })

  it('runs from the command line and exits 0', async () => {
    const { code, stdout } = await runCli(['tasks', '--json'])
    expect(code).toBe(0)
    expect((JSON.parse(stdout) as TaskInfo[]).map((t) => t.id)).toEqual(expect.arrayContaining(['heavy-sum', 'square']))
  })
})
