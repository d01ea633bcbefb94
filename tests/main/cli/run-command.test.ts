/** `poolscope run`, run as users run it: a real CLI process with real workers. */
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, useCliWorkers } from '../../helpers/cli'
import { repoRoot } from '../../helpers/paths'
import { isRunning } from '../../helpers/processes'
import { waitFor } from '../../helpers/wait-for'

const workersOf = useCliWorkers()

describe('poolscope run', () => {
  it('runs heavy-sum and prints one JSON object with an exact, checked result', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'heavy-sum', '--workers', '2', '--set', 'n=200000', '--set', 'm=4', '--json'])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({
      task: 'heavy-sum',
      backend: 'process',
      workers: 2,
      params: { n: 200000, m: 4 },
      ok: true,
      state: 'succeeded',
      result: { expected: '19999900000', allExact: true },
      check: { ok: true },
      stats: { tasks: 4, completed: 4, failed: 0 }
    })
    expect(json.result.sums).toEqual(Array(4).fill('19999900000'))
  })

  it('loads neither systeminformation nor ws for a run (tests/tasks/catalog.test.ts shows its workers load no zod)', async () => {
    const reporter = resolve(repoRoot, 'tests/fixtures/cli/report-packages.cjs')
    let cliPid = 0
    const { code, stderr } = await runCli(['run', 'square', '--workers', '2', '--set', 'count=2000', '--set', 'delayMs=0', '--chunksize', '500', '--json'], (child) => void (cliPid = child.pid!), {
      env: { NODE_OPTIONS: `--require ${JSON.stringify(reporter)}` }
    })
    expect(code).toBe(0)
    const reports = new Map([...stderr.matchAll(/packages loaded by (\d+): (.*)/g)].map((m) => [Number(m[1]), m[2]!.split(' ')]))
    // The CLI validates the parameters (zod) and parses its flags; systeminformation is read only
    // on Windows and macOS, ws only by `serve`.
    const cli = reports.get(cliPid)
    expect(cli).toEqual(expect.arrayContaining(['commander', 'zod']))
    expect(cli).not.toContain('systeminformation')
    expect(cli).not.toContain('ws')
  })

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await runCli(['run', 'heavy-sum', '-w', '2', '--set', 'n=1000', '--set', 'm=2', '--backend', 'thread'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^✓ heavy-sum on 2 thread workers: all 2 sums equal n\(n−1\)\/2 = 499500 exactly\n/)
    expect(stdout).toMatch(/2\/2 tasks in [\d.]+ ms/)
  })

  it('exits 1 when the run fails, with the error in its JSON', async () => {
    const { code, stdout } = await runCli([
      'run', 'heavy-sum', '--workers', '2', '--set', 'n=10000000000', '--set', 'm=2', '--timeout', '50', '--json'
    ])
    expect(code).toBe(1)
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({ ok: false, state: 'failed' })
    expect(json.error).toMatch(/ran longer than 50 ms/)
  })

  it.each([
    ['an invalid parameter, naming it', ['run', 'heavy-sum', '--set', 'n=-5'], /n must be an integer ≥ 1/],
    ['an unknown parameter', ['run', 'heavy-sum', '--set', 'k=1'], /unknown parameter k/],
    ['a parameter set twice', ['run', 'heavy-sum', '--set', 'n=1', '--set', 'n=2'], /parameter n is set twice/],
    ['an unknown task', ['run', 'no-such-task'], /unknown task "no-such-task"/],
    ['an unknown flag', ['run', 'heavy-sum', '--bogus'], /unknown option '--bogus'/],
    ['a bad worker count', ['run', 'heavy-sum', '--workers', '0'], /--workers/],
    ['a bad backend', ['run', 'heavy-sum', '--backend', 'cluster'], /must be "process" or "thread"/]
  ])('exits 2 on %s, saying what is wrong, and runs nothing', async (_what, args, message) => {
    const { code, stdout, stderr } = await runCli(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stdout).toBe('')
  })

  it('finishes square with every square in order while its workers are SIGKILLed, given retries', async () => {
    let killed: number | undefined
    const { code, stdout } = await runCli(
      ['run', 'square', '--workers', '2', '--retries', '3', '--set', 'count=16', '--set', 'delayMs=100', '--json'],
      async (cli) => {
        const [victim] = await workersOf(cli.pid!, 2)
        process.kill(victim, 'SIGKILL')
        killed = victim
      }
    )
    expect(killed).toBeDefined()
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(json.ok).toBe(true)
    expect(json.result.squares).toEqual(Array.from({ length: 16 }, (_, i) => i * i))
    expect(json.stats.crashedWorkers).toBeGreaterThanOrEqual(1)
  })

  it.each([
    ['the CLI process', false],
    ['its whole process group, as a terminal does', true]
  ])(
    'on Ctrl-C (SIGINT to %s) stops the run, prints a one-line summary on stderr, exits 130 and leaves no worker',
    async (_target, isGroup) => {
      let workers: number[] = []
      const { code, stdout, stderr } = await runCli(
        ['run', 'square', '--workers', '2', '--set', 'count=20', '--set', 'delayMs=60000'],
        async (cli) => {
          workers = await workersOf(cli.pid!, 2)
          process.kill(isGroup ? -cli.pid! : cli.pid!, 'SIGINT')
        },
        { isOwnProcessGroup: isGroup }
      )
      expect(code).toBe(130)
      expect(stdout).toBe('')
      // SIGINT may come while the workers still load the task (nothing sent yet) or once all 20 wait in them.
      expect(stderr).toMatch(/^poolscope: square stopped after \d+ ms — (0\/20 tasks done|before any task was sent), all workers stopped\n$/)
      expect(workers).toHaveLength(2)
      await waitFor('every worker of the stopped run to be gone', () => workers.every((pid) => !isRunning(pid)))
    }
  )
})
