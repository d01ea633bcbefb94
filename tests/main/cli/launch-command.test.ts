import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  exitCodeOf,
  formatLaunchSummary,
  parseLaunchFlags,
  runLaunch,
  type LaunchCommandIo,
  type LaunchRunSummary
} from '../../../main/cli/launch-command'
import { UsageError } from '../../../main/cli/usage-error'
import { CommandNotFoundError } from '../../../main/launch/launch-errors'

const node = process.execPath
const repoRoot = resolve(__dirname, '../../..')
const fixture = (name: string) => resolve(repoRoot, 'tests/fixtures/launch', name)
const builtCli = resolve(repoRoot, 'out/main/cli.js')
// A build older than the launch command would fail for that reason alone; `npm test` builds first.
const hasBuiltLaunch = existsSync(builtCli) && readFileSync(builtCli, 'utf8').includes('sample-ms')

/** An io that records what is written and sends the given signals once the command runs. */
function testIo(signals: ('SIGINT' | 'SIGTERM')[] = []): LaunchCommandIo & { out: string[]; err: string[]; subscribed: boolean } {
  const io = {
    out: [] as string[],
    err: [] as string[],
    subscribed: false,
    writeOut: (text: string) => void io.out.push(text),
    writeErr: (text: string) => void io.err.push(text),
    onInterrupt(handler: (signal: 'SIGINT' | 'SIGTERM') => void) {
      io.subscribed = true
      for (const signal of signals) setImmediate(() => handler(signal))
      return () => {
        io.subscribed = false
      }
    }
  }
  return io
}

describe('poolscope launch', () => {
  it('takes the command after -- and checks the scan interval', () => {
    expect(parseLaunchFlags(['python3', '-c', 'x'], { json: true })).toEqual({ argv: ['python3', '-c', 'x'], isJson: true, sampleMs: 200 })
    expect(parseLaunchFlags(['ls'], { sampleMs: 50 }).sampleMs).toBe(50)
    expect(() => parseLaunchFlags([], {})).toThrow(UsageError)
    expect(() => parseLaunchFlags(['ls'], { sampleMs: 5 })).toThrow(UsageError)
  })

  it('exits with the command’s code, or 128 + the signal number', () => {
    expect(exitCodeOf({ code: 3, signal: null })).toBe(3)
    expect(exitCodeOf({ code: null, signal: 'SIGINT' })).toBe(130)
    expect(exitCodeOf({ code: null, signal: 'SIGKILL' })).toBe(137)
  })

  it('prints one JSON summary with wall time, tree peaks, busy % per core and CPU per name', async () => {
    const io = testIo()
    const summary = await runLaunch(
      { argv: [node, fixture('fork-and-exit.cjs'), 'parent', '3', '500', '--go-now'], isJson: true, sampleMs: 20 },
      io
    )
    expect(io.out).toHaveLength(1)
    expect(JSON.parse(io.out[0])).toEqual(summary)
    expect(summary).toMatchObject({ exit: { code: 0, signal: null }, exitCode: 0, peakProcessCount: 4, survivorPids: [], sampleMs: 20 })
    expect(summary.wallMs).toBeGreaterThan(0)
    expect(summary.peakRssBytes).toBeGreaterThan(0)
    expect(summary.coreBusyPercent).toHaveLength(cpus().length)
    expect(summary.cpuByName).toEqual([{ name: 'node', processes: 4, cpuSeconds: expect.any(Number) }])
    expect(summary.cpuByName[0].cpuSeconds).toBeGreaterThan(0)
    expect(io.subscribed).toBe(false)
  })

  it.skipIf(spawnSync('python3', ['--version']).status !== 0)('counts every worker of a Python multiprocessing pool', async () => {
    const io = testIo()
    const summary = await runLaunch({ argv: ['python3', fixture('multiprocessing-pool.py'), '1'], isJson: true, sampleMs: 50 }, io)
    const workers = cpus().length
    expect(summary.exitCode).toBe(0)
    // `python3` may be a shim (pyenv) that runs helper shells first: those are counted too.
    expect(summary.peakProcessCount).toBeGreaterThanOrEqual(1 + workers)
    expect(summary.cpuByName.find((row) => row.name === 'python3')).toMatchObject({ processes: 1 + workers })
    expect(summary.coreBusyPercent).toHaveLength(workers)
  })

  it('forwards Ctrl-C to the tree and still prints the summary', async () => {
    const io = testIo(['SIGINT'])
    const summary = await runLaunch({ argv: [node, '-e', 'setInterval(() => {}, 1000)'], isJson: false, sampleMs: 50 }, io)
    expect(summary.exit).toEqual({ code: null, signal: 'SIGINT' })
    expect(summary.exitCode).toBe(130)
    expect(io.out.join('')).toContain('killed by SIGINT (exit 130)')
  })

  it('reports a command that does not exist clearly', async () => {
    await expect(runLaunch({ argv: ['poolscope-no-such-command'], isJson: false, sampleMs: 50 }, testIo())).rejects.toThrow(
      CommandNotFoundError
    )
  })

  it('formats the summary for people', () => {
    const summary: LaunchRunSummary = {
      argv: ['python3', '-c', 'print(1)'],
      exit: { code: 0, signal: null },
      exitCode: 0,
      wallMs: 1534,
      peakProcessCount: 3,
      peakRssBytes: 41 * 1024 * 1024,
      coreBusyPercent: [97.5, 99],
      cpuByName: [{ name: 'python3', processes: 3, cpuSeconds: 2.95 }],
      survivorPids: [],
      sampleMs: 200
    }
    expect(formatLaunchSummary(summary)).toBe(
      [
        '',
        'poolscope launch: python3 -c "print(1)"',
        '  ended            exit code 0',
        '  wall time        1.53 s',
        '  peak tree size   3 processes',
        '  peak RSS         41.0 MiB',
        '  busy per core    cpu0 97.5 %  cpu1 99.0 %',
        '  CPU by name      python3 2.95 s (3 processes)',
        ''
      ].join('\n')
    )
  })

  it.skipIf(!hasBuiltLaunch)('runs from the built CLI with the command’s output on stderr under --json', () => {
    const result = spawnSync(
      node,
      [resolve(repoRoot, 'bin/poolscope.js'), 'launch', '--json', '--', node, '-e', 'console.log("from the child"); process.exit(4)'],
      { encoding: 'utf8' }
    )
    expect(result.status).toBe(4)
    expect(result.stderr).toContain('from the child')
    expect(JSON.parse(result.stdout)).toMatchObject({ exit: { code: 4, signal: null }, exitCode: 4 })
  })
})
