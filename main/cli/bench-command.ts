/**
 * `poolscope bench`: measures speedup and prints a table (or JSON, CSV, Markdown).
 *
 *   poolscope bench --command CMD [--shell] [--workers LIST] [--runs N] [--warmup N]
 *                   [--json | --csv | --markdown] [--out FILE]
 *   poolscope bench <task> [--set name=value]... [--backend process|thread] [same options]
 *
 * Flags are turned into a {@link BenchCommandOptions} first (every mistake is a `UsageError` naming
 * the flag, exit 2), then a target is built — an external command, or a catalog task through
 * {@link BenchCommandIo.createTaskTarget}, which the app plugs in — and the shared runner times it.
 * Every report is saved to the history folder; its path goes to stderr so stdout stays the report.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Presets, SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import { requests, type BackendName, type BenchProgress } from '../../shared/contract'
import type { BenchTarget } from '../bench/targets/bench-target'
import { createBenchId } from '../bench/report/bench-id'
import { createCommandTarget, shellOperatorsIn, WORKERS_ENV, WORKERS_PLACEHOLDER } from '../bench/targets/command-target'
import { exportBenchReport, benchReportToTerminalTable, TERMINAL_WIDTH, type BenchExportFormat } from '../bench/report/export'
import { formatWorkers } from '../bench/report/format'
import { BenchHistory, defaultDataDir } from '../bench/report/history'
import { BASELINE_PROGRESS_WORKERS, DEFAULT_RUNS, DEFAULT_WARMUP, runBench, type UnsavedBenchReport } from '../bench/runner'
import { ArgvSyntaxError } from '../../shared/split-argv'
import { createTaskTarget } from '../bench/targets/task-target'
import { parseTaskInput, TaskParamsError } from '../runs/task-input'
import { findTask, taskInfo } from '../../tasks'
import { parseSets, redisTargetFlag } from './options'
import { clusterPools } from './cluster-pools'
import type { RedisTarget } from '../cluster/redis-url'
import type { Pool } from '../pool/pool'
import type { PoolOptions } from '../pool/types'
import { UsageError } from './usage-error'
import { stopOnInterrupt } from './interrupt'

/** What to print: the readable table, or one of the export formats. */
export type BenchOutputFormat = 'table' | BenchExportFormat

/** What is being benchmarked. */
export type BenchCommandSubject =
  | { kind: 'command'; command: string; isShell: boolean }
  | { kind: 'task'; taskId: string; params: Record<string, string>; backend: BackendName; redis?: RedisTarget }

/** A validated `poolscope bench` invocation. */
export interface BenchCommandOptions {
  subject: BenchCommandSubject
  /** `undefined`: 1, 2, 4, … up to the core count. */
  workers: number[] | undefined
  runs: number
  warmup: number
  format: BenchOutputFormat
  /** Write the output here instead of stdout. */
  out: string | undefined
}

/** The flags as commander hands them over: strings, unvalidated. */
export interface RawBenchFlags {
  command?: string
  shell?: boolean
  workers?: string
  runs?: string
  warmup?: string
  json?: boolean
  csv?: boolean
  markdown?: boolean
  out?: string
  set?: string[]
  backend?: string
  redis?: string
}

/** Builds the target that times a catalog task (its pools made by `createPool`, if given: the cluster's); the app provides the real one. */
export type TaskTargetFactory = (
  taskId: string,
  params: Record<string, string>,
  backend: BackendName,
  createPool?: (options: PoolOptions) => Pool
) => BenchTarget

/** Everything the command touches outside itself, injected so tests run it in a temp folder. */
export interface BenchCommandIo {
  writeOut(text: string): void
  writeErr(text: string): void
  /** Where the progress bar draws; `undefined` (not a terminal) draws none. */
  progressStream: NodeJS.WritableStream | undefined
  /** The data folder whose `benches` sub-folder keeps every report. */
  dataDir: string
  createTaskTarget: TaskTargetFactory
  /** Stops the benchmark (Ctrl-C). */
  signal: AbortSignal | undefined
  /** Logical cores; default `os.availableParallelism()`. */
  cores: number | undefined
  /** Columns of the terminal stdout goes to; `undefined` (not a terminal) wraps the table's notes at 80. */
  terminalColumns: number | undefined
}

/** The catalog-task target for `poolscope bench <task>`: `--set` values checked against the task's schema. */
export function createTaskBenchTarget(
  taskId: string,
  sets: Record<string, string>,
  backend: BackendName,
  createPool?: (options: PoolOptions) => Pool
): BenchTarget {
  const task = findTask(taskId)
  if (!task) throw new UsageError(`unknown task "${taskId}" (see \`poolscope tasks\`)`)
  try {
    const pairs = Object.entries(sets).map(([k, v]) => `${k}=${v}`)
    const input = parseTaskInput(taskId, parseSets(pairs, taskInfo(task).params))
    return createTaskTarget({ ...input, backend, ...(createPool && { createPool }) })
  } catch (err) {
    if (err instanceof TaskParamsError) throw new UsageError(err.message)
    throw err
  }
}

const FORMAT_BY_EXTENSION: Record<string, BenchExportFormat> = {
  '.json': 'json',
  '.csv': 'csv',
  '.md': 'markdown',
  '.markdown': 'markdown'
}

/** Flag names for the fields of the `bench:start` schema, so its range errors name the flag the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  taskId: '<task>',
  command: '--command',
  params: '--set',
  workers: '--workers',
  runs: '--runs',
  warmup: '--warmup',
  backend: '--backend'
}

function parseWholeNumber(flag: string, text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(text)}`)
  return Number(text)
}

/** "1,2,4" → [1, 2, 4]. @throws UsageError naming `--workers` for anything else */
export function parseWorkerList(text: string): number[] {
  const items = text.split(',')
  if (items.some((item) => item.trim() === '')) {
    throw new UsageError(`--workers: expected comma-separated worker counts like 1,2,4, got ${JSON.stringify(text)}`)
  }
  return items.map((item) => parseWholeNumber('--workers', item))
}

/** ["n=10", "mode=fast"] → { n: "10", mode: "fast" }. Values stay strings: the task's own schema converts them. */
export function parseSetFlags(pairs: readonly string[]): Record<string, string> {
  // No prototype: `--set __proto__=1` would replace it and vanish instead of being refused as unknown.
  const params: Record<string, string> = Object.create(null)
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const name = eq === -1 ? '' : pair.slice(0, eq).trim()
    if (name === '') throw new UsageError(`--set: expected name=value, got ${JSON.stringify(pair)}`)
    if (Object.hasOwn(params, name)) throw new UsageError(`--set: ${name} is given twice`)
    params[name] = pair.slice(eq + 1)
  }
  return params
}

function chooseFormat(flags: RawBenchFlags): BenchOutputFormat {
  const chosen = (['json', 'csv', 'markdown'] as const).filter((format) => flags[format] === true)
  if (chosen.length > 1) throw new UsageError(`--${chosen[0]} and --${chosen[1]}: choose one output format`)
  if (chosen.length === 1) return chosen[0]
  // `--out results.csv` alone means CSV: a table in a .csv file is never what was wanted.
  const fromExtension = flags.out === undefined ? undefined : FORMAT_BY_EXTENSION[path.extname(flags.out).toLowerCase()]
  return fromExtension ?? 'table'
}

/**
 * Validates the flags of one invocation. Ranges (worker counts, runs, warm-ups) are checked with the
 * same `bench:start` schema the app's requests go through, so the CLI and the app accept the same.
 *
 * @throws UsageError naming the flag and the reason
 */
export function parseBenchFlags(task: string | undefined, flags: RawBenchFlags): BenchCommandOptions {
  const hasCommand = flags.command !== undefined
  if (task !== undefined && hasCommand) throw new UsageError(`give a task or --command, not both (got ${task} and --command)`)
  if (task === undefined && !hasCommand) throw new UsageError('give a catalog task or --command CMD to benchmark')
  if (!hasCommand && flags.shell === true) throw new UsageError('--shell: only applies to --command')
  if (hasCommand && (flags.set ?? []).length > 0) throw new UsageError('--set: sets catalog task parameters; not used with --command')
  if (hasCommand && flags.backend !== undefined) throw new UsageError('--backend: chooses a catalog task backend; not used with --command')
  if (hasCommand && flags.command?.trim() === '') throw new UsageError('--command: the command is empty')
  if (hasCommand && flags.redis !== undefined) throw new UsageError('--redis: runs a catalog task on the cluster; not used with --command')
  if (flags.redis !== undefined && flags.backend !== undefined) throw new UsageError('--backend: a cluster\'s workers are the hosts\' processes; leave --backend out with --redis')
  if (flags.backend !== undefined && flags.backend !== 'process' && flags.backend !== 'thread') {
    throw new UsageError(`--backend: must be process or thread, got ${JSON.stringify(flags.backend)}`)
  }

  const workers = flags.workers === undefined ? undefined : parseWorkerList(flags.workers)
  const runs = flags.runs === undefined ? DEFAULT_RUNS : parseWholeNumber('--runs', flags.runs)
  const warmup = flags.warmup === undefined ? DEFAULT_WARMUP : parseWholeNumber('--warmup', flags.warmup)
  const params = parseSetFlags(flags.set ?? [])
  const backend: BackendName = flags.backend === 'thread' ? 'thread' : 'process'

  const checked = requests['bench:start'].args.safeParse({
    ...(hasCommand ? { command: flags.command, shell: flags.shell === true } : { taskId: task, params, backend }),
    // Without --workers the default list is built from the core count later; [1] stands in for it here.
    workers: workers ?? [1],
    runs,
    warmup
  })
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const flag = FLAG_FOR_FIELD[String(issue.path[0])] ?? String(issue.path[0])
    const reason =
      issue.code === 'too_big'
        ? `${issue.origin === 'array' ? 'lists' : 'must be'} at most ${String(issue.maximum)}`
        : issue.code === 'too_small'
          ? `must be at least ${String(issue.minimum)}`
          : issue.message
    throw new UsageError(`${flag}: ${reason}`)
  }

  return {
    subject: hasCommand
      ? { kind: 'command', command: flags.command ?? '', isShell: flags.shell === true }
      : { kind: 'task', taskId: task ?? '', params, backend, ...(flags.redis !== undefined && { redis: redisTargetFlag(flags.redis) }) },
    workers,
    runs,
    warmup,
    format: chooseFormat(flags),
    out: flags.out
  }
}

function progressLabel(p: BenchProgress): string {
  const what = p.workers === BASELINE_PROGRESS_WORKERS ? 'baseline' : formatWorkers(p.workers)
  const kind = p.phase === 'warmup' ? 'warm-up' : 'run'
  return `${what}, ${kind} ${p.run}/${p.of}`
}

/** Prose wider than this is hard to read, however wide the terminal. */
const MAX_WRAP_COLUMNS = 100
/** Narrower terminals still get lines this long: wrapping at 30 columns helps no one. */
const MIN_WRAP_COLUMNS = 60

function wrapWidth(columns: number | undefined): number {
  if (columns === undefined || !(columns > 0)) return TERMINAL_WIDTH
  return Math.max(MIN_WRAP_COLUMNS, Math.min(MAX_WRAP_COLUMNS, columns))
}

async function buildTarget(subject: BenchCommandSubject, io: BenchCommandIo): Promise<BenchTarget> {
  if (subject.kind === 'task') {
    const createPool = subject.redis && (await clusterPools(subject.redis.url, (line) => io.writeErr(`${line}\n`)))
    return io.createTaskTarget(subject.taskId, subject.params, subject.backend, createPool || undefined)
  }
  try {
    return createCommandTarget({ command: subject.command, shell: subject.isShell })
  } catch (err) {
    if (err instanceof ArgvSyntaxError || err instanceof RangeError) throw new UsageError(`--command: ${err.message}`)
    throw err
  }
}

/**
 * Runs one validated invocation: benchmark, save to history, print. A failing command rejects with
 * its `CommandFailedError` (exit code in the message; the CLI exits 1); cancelling rejects with
 * "bench cancelled".
 */
export async function runBenchCommand(options: BenchCommandOptions, io: BenchCommandIo): Promise<void> {
  const target = await buildTarget(options.subject, io)
  if (options.subject.kind === 'task' && options.subject.redis) {
    io.writeErr(`note: the worker counts run on the cluster at ${options.subject.redis.masked}; the baseline runs in this process\n`)
  }
  if (options.subject.kind === 'command' && !options.subject.command.includes(WORKERS_PLACEHOLDER)) {
    io.writeErr(
      `note: the command has no ${WORKERS_PLACEHOLDER}; it sees the worker count only as the ${WORKERS_ENV} environment variable\n`
    )
  }
  const operators = options.subject.kind === 'command' && !options.subject.isShell ? shellOperatorsIn(options.subject.command) : []
  if (operators.length > 0) {
    io.writeErr(
      `note: ${operators.join(' ')} ${operators.length === 1 ? 'reaches' : 'reach'} the program as ${operators.length === 1 ? 'an argument' : 'arguments'}; ` +
        'add --shell for pipes, redirections and &&\n'
    )
  }

  const startedAt = new Date()
  const benchId = createBenchId(startedAt)
  const bar =
    io.progressStream === undefined
      ? undefined
      : new SingleBar(
          { stream: io.progressStream, format: 'bench [{bar}] {value}/{total} | {label}', hideCursor: true, clearOnComplete: true },
          Presets.shades_classic
        )

  let report: UnsavedBenchReport
  let isBarStarted = false
  try {
    report = await runBench(target, {
      benchId,
      now: () => startedAt,
      workers: options.workers,
      runs: options.runs,
      warmup: options.warmup,
      cores: io.cores,
      signal: io.signal,
      onProgress: (p) => {
        if (bar === undefined) return
        if (!isBarStarted) bar.start(p.total, p.done, { label: progressLabel(p) })
        else bar.update(p.done, { label: progressLabel(p) })
        isBarStarted = true
      }
    })
  } catch (err) {
    if (io.signal?.aborted === true) throw new Error('bench cancelled', { cause: err })
    throw err
  } finally {
    bar?.stop()
  }

  // The history is a convenience: a full disk must not cost the user the result on screen.
  try {
    const saved = await new BenchHistory({ dataDir: io.dataDir }).save(report, { id: benchId })
    io.writeErr(`saved ${saved.file}\n`)
  } catch (err) {
    io.writeErr(`poolscope: could not save the report to history: ${err instanceof Error ? err.message : String(err)}\n`)
  }

  const content =
    options.format === 'table'
      ? benchReportToTerminalTable(report, wrapWidth(io.terminalColumns))
      : exportBenchReport({ ...report, id: benchId }, options.format).content
  if (options.out === undefined) {
    io.writeOut(content)
  } else {
    await writeFile(options.out, content, 'utf8')
    io.writeErr(`wrote ${options.out}\n`)
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** The real process's streams, data folder and Ctrl-C; tests pass their own. */
function defaultIo(): Omit<BenchCommandIo, 'signal'> {
  return {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
    dataDir: defaultDataDir(),
    createTaskTarget: createTaskBenchTarget,
    cores: undefined,
    terminalColumns: process.stdout.isTTY ? process.stdout.columns : undefined
  }
}

/**
 * Adds `bench` to the program. `io` overrides parts of the real environment: tests pass streams,
 * a temp data folder and their own targets.
 */
export function registerBenchCommand(program: Command, io: Partial<BenchCommandIo> = {}): void {
  program
    .command('bench')
    .description('Measure speedup: a single-process baseline, then each worker count, timed and compared')
    .argument('[task]', 'catalog task id to benchmark (or use --command)')
    .option('--command <cmd>', `external command to time; ${WORKERS_PLACEHOLDER} becomes the worker count`)
    .option('--shell', 'run --command through the platform shell (pipes, variables, globs)')
    .option('--workers <list>', 'comma-separated worker counts (default 1,2,4,… up to the core count)')
    .option('--runs <n>', `timed runs per worker count (default ${DEFAULT_RUNS})`)
    .option('--warmup <n>', `untimed warm-up runs per worker count (default ${DEFAULT_WARMUP})`)
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print CSV: one row per series, kind=baseline or workers, context repeated on each row')
    .option('--markdown', 'print a Markdown table')
    .option('--out <file>', 'write the output to FILE (format from its extension unless given)')
    .option('--set <name=value>', 'a catalog task parameter (repeatable)', collect, [])
    .option('--backend <name>', 'catalog task backend: process or thread (default process)')
    .option('--redis <url>', 'run the worker counts on the cluster whose Redis is at URL (the baseline stays this process)')
    .action(async (task: string | undefined, flags: RawBenchFlags) => {
      const full: BenchCommandIo = { ...defaultIo(), signal: undefined, ...io }
      const options = parseBenchFlags(task, flags)
      if (io.signal !== undefined) return runBenchCommand(options, full)
      // Ctrl-C stops the benchmark (and, through the target, the command's process tree)
      // instead of leaving a detached command running after the CLI has gone.
      const controller = new AbortController()
      const release = stopOnInterrupt(() => controller.abort())
      try {
        await runBenchCommand(options, { ...full, signal: controller.signal })
      } finally {
        release()
      }
    })
}
