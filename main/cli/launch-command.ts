/**
 * `poolscope launch`: runs any command with its output passed through, watches its whole process
 * tree, and prints a summary when it ends.
 *
 *   poolscope launch [--json] [--sample-ms N] -- <command> [args…]
 *
 * The summary: wall time, peak tree size, peak RSS of the tree, mean busy % per core over the run
 * (exact, from the OS's per-core time counters at start and end) and CPU seconds per process
 * name (from tree scans every N ms, so a process that lives less than one interval can be
 * missed). `--json` prints the same as one object on stdout and sends the command's output to
 * stderr, so stdout stays valid JSON. The exit code is the command's, or 128 + the signal number
 * that ended it. Ctrl-C is forwarded to the whole tree as SIGINT (a second Ctrl-C kills the
 * tree), and the summary is still printed.
 *
 * The command runs in its own process group without a terminal to read from (stdin is closed):
 * that is what lets the whole tree be found and signalled, however it re-parents.
 */
import { constants } from 'node:os'
import type { Command } from 'commander'
import { Launch, type LaunchExit } from '../launch/launch'
import { CoreLoadMeter } from '../monitor/core-load-meter'
import { intAtLeast } from './options'
import { UsageError } from './usage-error'

/** A validated `poolscope launch` invocation. */
export interface LaunchCommandOptions {
  argv: string[]
  isJson: boolean
  /** Time between process-tree scans. */
  sampleMs: number
}

/** CPU used by all processes of one name. */
export interface NameCpu {
  name: string
  processes: number
  cpuSeconds: number
}

/** What `poolscope launch` reports (and prints as JSON with `--json`). */
export interface LaunchRunSummary {
  argv: string[]
  exit: LaunchExit
  /** What poolscope itself exits with: the command's code, or 128 + signal number. */
  exitCode: number
  wallMs: number
  /** Most processes alive in the tree at one scan (the command included). */
  peakProcessCount: number
  /** Largest summed RSS of the tree at one scan. */
  peakRssBytes: number
  /** Mean busy % of each logical core between start and end (the whole machine, not only the tree). */
  coreBusyPercent: number[]
  cpuByName: NameCpu[]
  /** Processes of the tree still running when the command exited (left running). */
  survivorPids: number[]
  sampleMs: number
}

/** Where the command talks to the world; tests pass their own. */
export interface LaunchCommandIo {
  writeOut(text: string): void
  writeErr(text: string): void
  /** Subscribes to Ctrl-C (SIGINT) and SIGTERM; returns the unsubscribe. */
  onInterrupt(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void
}

const DEFAULT_SAMPLE_MS = 200

/** The real terminal and process signals. */
export const processIo: LaunchCommandIo = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
  onInterrupt(handler) {
    const onSigint = () => handler('SIGINT')
    const onSigterm = () => handler('SIGTERM')
    process.on('SIGINT', onSigint)
    process.on('SIGTERM', onSigterm)
    return () => {
      process.off('SIGINT', onSigint)
      process.off('SIGTERM', onSigterm)
    }
  }
}

/** Adds `poolscope launch` to the program. */
export function registerLaunchCommand(program: Command): void {
  program
    .command('launch')
    .description('run a command, watch its whole process tree, and print a summary (put the command after --)')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--json', 'print the summary as one JSON object on stdout (the command’s output goes to stderr)')
    .option('--sample-ms <ms>', `time between process-tree scans (default ${DEFAULT_SAMPLE_MS})`, intAtLeast(10, 60_000))
    .action(async (argv: string[], flags: { json?: boolean; sampleMs?: number }) => {
      const summary = await runLaunch(parseLaunchFlags(argv, flags))
      process.exitCode = summary.exitCode
    })
}

/**
 * Turns commander's operands and flags into options.
 * @throws UsageError for an empty command or a scan interval out of range.
 */
export function parseLaunchFlags(argv: string[], flags: { json?: boolean; sampleMs?: number }): LaunchCommandOptions {
  if (argv.length === 0 || argv[0] === '') throw new UsageError('launch needs a command: poolscope launch -- <command> [args…]')
  const sampleMs = flags.sampleMs ?? DEFAULT_SAMPLE_MS
  if (!Number.isInteger(sampleMs) || sampleMs < 10 || sampleMs > 60_000) {
    throw new UsageError(`--sample-ms must be an integer from 10 to 60000, got ${sampleMs}`)
  }
  return { argv, isJson: flags.json === true, sampleMs }
}

/**
 * Runs the command to its end and prints the summary; returns it.
 * @throws CommandNotFoundError and the other launch errors when the command cannot start.
 */
export async function runLaunch(options: LaunchCommandOptions, io: LaunchCommandIo = processIo): Promise<LaunchRunSummary> {
  const meter = new CoreLoadMeter()
  const startedMs = performance.now()
  const launch = await Launch.start('launch-1', {
    argv: options.argv,
    output: options.isJson ? 'inherit-to-stderr' : 'inherit',
    sampleMs: options.sampleMs
  })

  let interrupts = 0
  const unsubscribe = io.onInterrupt((signal) => {
    interrupts += 1
    // First Ctrl-C: what a terminal would have sent the command. Second: no more waiting.
    const action = interrupts > 1 ? 'kill' : signal === 'SIGTERM' ? 'stop' : 'interrupt'
    void launch.signal({ action, scope: 'tree' }).catch(() => {})
  })

  let exit: LaunchExit
  let survivorPids: number[]
  try {
    exit = await launch.exited
    const wallMs = performance.now() - startedMs
    // One last scan: whatever of the tree outlived the command.
    survivorPids = (await launch.refresh().catch(() => [])).filter((node) => node.state !== 'zombie').map((node) => node.pid)
    const summary = buildSummary(options, exit, wallMs, meter.read(), launch, survivorPids)
    io.writeOut(options.isJson ? `${JSON.stringify(summary)}\n` : formatLaunchSummary(summary))
    return summary
  } finally {
    unsubscribe()
    // Stops watching; processes that outlived the command are reported, not killed.
    launch.release()
  }
}

function buildSummary(
  options: LaunchCommandOptions,
  exit: LaunchExit,
  wallMs: number,
  coreBusyPercent: number[],
  launch: Launch,
  survivorPids: number[]
): LaunchRunSummary {
  const stats = launch.stats()
  return {
    argv: options.argv,
    exit,
    exitCode: exitCodeOf(exit),
    wallMs: Math.round(wallMs),
    peakProcessCount: stats.peakProcessCount,
    peakRssBytes: stats.peakRssBytes,
    coreBusyPercent: coreBusyPercent.map((p) => Math.round(p * 10) / 10),
    cpuByName: stats.byName.map((row) => ({ name: row.name, processes: row.processes, cpuSeconds: Math.round(row.cpuMs) / 1000 })),
    survivorPids,
    sampleMs: options.sampleMs
  }
}

/** The shell's convention: the exit code, or 128 + the number of the signal that ended it. */
export function exitCodeOf(exit: LaunchExit): number {
  if (exit.code !== null) return exit.code
  const number = exit.signal === null ? undefined : constants.signals[exit.signal as NodeJS.Signals]
  return 128 + (number ?? 0)
}

/** The summary as people read it. */
export function formatLaunchSummary(summary: LaunchRunSummary): string {
  const ended = summary.exit.code !== null ? `exit code ${summary.exit.code}` : `killed by ${summary.exit.signal} (exit ${summary.exitCode})`
  const names = summary.cpuByName.map(
    (row) => `${row.name} ${row.cpuSeconds.toFixed(2)} s (${row.processes} ${row.processes === 1 ? 'process' : 'processes'})`
  )
  const lines = [
    '',
    `poolscope launch: ${displayArgv(summary.argv)}`,
    `  ended            ${ended}`,
    `  wall time        ${(summary.wallMs / 1000).toFixed(2)} s`,
    `  peak tree size   ${summary.peakProcessCount} ${summary.peakProcessCount === 1 ? 'process' : 'processes'}`,
    `  peak RSS         ${formatBytes(summary.peakRssBytes)}`,
    `  busy per core    ${summary.coreBusyPercent.map((p, core) => `cpu${core} ${p.toFixed(1)} %`).join('  ')}`,
    `  CPU by name      ${names.length > 0 ? names.join(', ') : 'none seen (every process ended within one scan)'}`
  ]
  if (summary.survivorPids.length > 0) {
    lines.push(`  still running    ${summary.survivorPids.join(', ')} (left running)`)
  }
  return `${lines.join('\n')}\n`
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024).toFixed(0)} KiB`
}

/** argv as it could be typed back: arguments with spaces or quotes shown JSON-quoted. */
function displayArgv(argv: string[]): string {
  const line = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')
  return line.length > 120 ? `${line.slice(0, 117)}…` : line
}
