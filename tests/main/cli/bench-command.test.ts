import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  parseBenchFlags,
  parseSetFlags,
  parseWorkerList,
  registerBenchCommand,
  type BenchCommandIo
} from '../../../main/cli/bench-command'
import { UsageError } from '../../../main/cli/usage-error'

const node = `"${process.execPath}"`

let dir: string
let out: string[]
let err: string[]
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'poolscope-bench-cli-'))
  out = []
  err = []
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function io(extra: Partial<BenchCommandIo> = {}): Partial<BenchCommandIo> {
  return {
    writeOut: (text) => out.push(text),
    writeErr: (text) => err.push(text),
    progressStream: undefined,
    dataDir: dir,
    signal: new AbortController().signal,
    cores: 2,
    ...extra
  }
}

async function bench(args: string[], extra: Partial<BenchCommandIo> = {}): Promise<void> {
  const program = new Command('poolscope').exitOverride()
  registerBenchCommand(program, io(extra))
  await program.parseAsync(['bench', ...args], { from: 'user' })
}

describe('parsing flags', () => {
  it('reads a comma-separated worker list', () => {
    expect(parseWorkerList('1,2, 4')).toEqual([1, 2, 4])
  })

  it('names --workers when the list is malformed', () => {
    expect(() => parseWorkerList('1,,4')).toThrow(/^--workers: expected comma-separated/)
    expect(() => parseWorkerList('two')).toThrow(/^--workers: expected a whole number/)
  })

  it('reads name=value pairs and refuses anything else', () => {
    expect(parseSetFlags(['n=10', 'expr=a=b'])).toEqual({ n: '10', expr: 'a=b' })
    expect(() => parseSetFlags(['n'])).toThrow(/^--set: expected name=value/)
    expect(() => parseSetFlags(['n=1', 'n=2'])).toThrow(/^--set: n is given twice/)
  })

  it('fills in defaults for a command benchmark', () => {
    expect(parseBenchFlags(undefined, { command: 'job {workers}' })).toEqual({
      subject: { kind: 'command', command: 'job {workers}', isShell: false },
      workers: undefined,
      runs: 3,
      warmup: 1,
      format: 'table',
      out: undefined
    })
  })

  it('takes the output format from --out’s extension unless a format flag is given', () => {
    expect(parseBenchFlags(undefined, { command: 'x', out: 'r.CSV' }).format).toBe('csv')
    expect(parseBenchFlags(undefined, { command: 'x', out: 'r.md' }).format).toBe('markdown')
    expect(parseBenchFlags(undefined, { command: 'x', out: 'r.md', json: true }).format).toBe('json')
    expect(parseBenchFlags(undefined, { command: 'x', out: 'r.txt' }).format).toBe('table')
  })

  it.each([
    [{ command: 'x', runs: '0' }, /^--runs: must be at least 1$/],
    [{ command: 'x', runs: '51' }, /^--runs: must be at most 50$/],
    [{ command: 'x', runs: '2.5' }, /^--runs: expected a whole number/],
    [{ command: 'x', warmup: '11' }, /^--warmup: must be at most 10$/],
    [{ command: 'x', workers: '0,2' }, /^--workers: must be at least 1$/],
    [{ command: 'x', workers: Array(17).fill(1).join(',') }, /^--workers: lists at most 16$/],
    [{ command: 'x', json: true, csv: true }, /^--json and --csv: choose one output format$/],
    [{ shell: true }, /give a catalog task or --command/],
    [{ command: 'x', set: ['n=1'] }, /^--set: .*not used with --command$/],
    [{ command: 'x', backend: 'thread' }, /^--backend: .*not used with --command$/],
    [{ command: '  ' }, /^--command: the command is empty$/]
  ])('refuses %o with a usage error naming the flag', (flags, message) => {
    const attempt = () => parseBenchFlags(undefined, flags)
    expect(attempt).toThrow(UsageError)
    expect(attempt).toThrow(message)
  })

  it('refuses a task and --command together, and a bad backend', () => {
    expect(() => parseBenchFlags('sum-squares', { command: 'x' })).toThrow(/not both/)
    expect(() => parseBenchFlags('sum-squares', { backend: 'gpu' })).toThrow(/^--backend: must be process or thread/)
  })

  it('reads a task benchmark with its parameters and backend', () => {
    expect(parseBenchFlags('sum-squares', { set: ['n=100'], backend: 'thread' }).subject).toEqual({
      kind: 'task',
      taskId: 'sum-squares',
      params: { n: '100' },
      backend: 'thread'
    })
  })
})

describe('poolscope bench', () => {
  it('prints the table, saves the report and names the saved file on stderr', async () => {
    await bench(['--command', `${node} -e "0"`, '--workers', '1,2', '--runs', '1', '--warmup', '0'])
    const table = out.join('')
    expect(table).toMatch(/^baseline +\S+ ms/m)
    expect(table).toMatch(/^2 +\S+ ms/m)
    const saved = readdirSync(path.join(dir, 'benches'))
    expect(saved).toHaveLength(1)
    expect(err.join('')).toContain(`saved ${path.join(dir, 'benches', saved[0])}`)
  })

  it('writes JSON to --out with the same id it saved under', async () => {
    const file = path.join(dir, 'report.json')
    await bench(['--command', `${node} -e "0"`, '--workers', '2', '--runs', '1', '--warmup', '0', '--out', file])
    const report = JSON.parse(readFileSync(file, 'utf8'))
    expect(report).toMatchObject({ command: `${node} -e "0"`, cores: 2 })
    expect(report.results.map((r: { workers: number }) => r.workers)).toEqual([2])
    expect(readdirSync(path.join(dir, 'benches'))).toEqual([`${report.id}.json`])
    expect(out).toEqual([])
  })

  it('prints CSV and Markdown when asked', async () => {
    await bench(['--command', `${node} -e "0"`, '--workers', '1', '--runs', '1', '--warmup', '0', '--csv'])
    expect(out.join('')).toMatch(/^kind,workers,median_ms/)
    out = []
    await bench(['--command', `${node} -e "0"`, '--workers', '1', '--runs', '1', '--warmup', '0', '--markdown'])
    expect(out.join('')).toMatch(/\| :--- \|/)
  })

  it('notes on stderr when the command has no {workers}', async () => {
    await bench(['--command', `${node} -e "0"`, '--workers', '1', '--runs', '1', '--warmup', '0'])
    expect(err.join('')).toContain('has no {workers}')
  })

  it('notes on stderr when a shell operator would reach the program as an argument without --shell', async () => {
    await bench(['--command', `${node} -e "0" {workers} | sort`, '--workers', '1', '--runs', '1', '--warmup', '0'])
    expect(err.join('')).toContain('note: | reaches the program as an argument; add --shell for pipes, redirections and &&')
  })

  it('fails with the command’s exit code in the message and saves nothing', async () => {
    await expect(
      bench(['--command', `${node} -e "process.exit(3)"`, '--workers', '1', '--runs', '1', '--warmup', '0'])
    ).rejects.toThrow(/^the baseline's timed run 1 of 1 failed: command exited with code 3: /)
    expect(out).toEqual([])
    expect(readdirSync(dir)).not.toContain('benches')
  })

  it('names the series and run that failed when only some worker counts fail', async () => {
    const script = `${node} -e "process.exit(Number(process.argv[1]) > 1 ? 3 : 0)" {workers}`
    await expect(bench(['--command', script, '--workers', '1,2', '--runs', '2', '--warmup', '0'])).rejects.toThrow(
      /^2 workers' timed run 1 of 2 failed: command exited with code 3: /
    )
  })

  it('wraps the table’s notes to the terminal’s width', async () => {
    await bench(['--command', `${node} -e "0"`, '--workers', '1,2', '--runs', '1', '--warmup', '0'], { terminalColumns: 64 })
    const lines = out.join('').split('\n')
    const notes = lines.slice(lines.indexOf('Notes:') + 1)
    expect(notes.length).toBeGreaterThan(1)
    expect(notes.every((line) => line.length <= 64)).toBe(true)
  })

  it('turns a command line that cannot be split into a usage error naming --command', async () => {
    await expect(bench(['--command', 'node "open'])).rejects.toThrow(UsageError)
    await expect(bench(['--command', 'node "open'])).rejects.toThrow(/^--command: unterminated double quote/)
  })

  it('names an unknown catalog task and a bad --set value by default', async () => {
    await expect(bench(['sum-squares'])).rejects.toThrow('unknown task "sum-squares"')
    await expect(bench(['heavy-sum', '--set', 'n=-4'])).rejects.toThrow('heavy-sum: n must be an integer ≥ 1')
  })

  it('runs a catalog task through the injected target factory', async () => {
    const seen: unknown[] = []
    await bench(['sum-squares', '--set', 'n=5', '--backend', 'thread', '--workers', '2', '--runs', '1', '--warmup', '0', '--json'], {
      createTaskTarget: (taskId, params, backend) => {
        seen.push({ taskId, params, backend })
        let sink = 0
        const work = async (): Promise<void> => {
          for (let i = 0; i < 1e4; i++) sink += i
        }
        return { describe: { task: taskId, params, backend }, baseline: work, run: work }
      }
    })
    expect(seen).toEqual([{ taskId: 'sum-squares', params: { n: '5' }, backend: 'thread' }])
    expect(JSON.parse(out.join(''))).toMatchObject({ task: 'sum-squares', backend: 'thread', params: { n: '5' } })
  })

  it('says "bench cancelled" when stopped', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(bench(['--command', `${node} -e "0"`], { signal: controller.signal })).rejects.toThrow('bench cancelled')
  })
})
