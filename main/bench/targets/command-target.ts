/**
 * A benchmark target that runs an external command, such as `python3 job.py {workers}`, once per
 * run. `{workers}` is replaced by the worker count (1 for the baseline) and the count is also in
 * the environment as `POOLSCOPE_WORKERS`. The template is split into argv without a shell unless
 * `shell: true`; a non-zero exit is a {@link CommandFailedError}, never a time.
 *
 * Nothing here tracks the command's children: the runner's per-core counters see the whole
 * process tree. Cancelling does need the tree, though: on POSIX the command leads its own process
 * group so the group can be signalled; on Windows `taskkill /T` walks the tree.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { splitArgv, type ArgvStyle } from '../../../shared/split-argv'
import type { BenchTarget } from './bench-target'

/** Replaced by the worker count in the command template. */
export const WORKERS_PLACEHOLDER = '{workers}'

/** Environment variable carrying the worker count, for commands that read it instead of an argument. */
export const WORKERS_ENV = 'POOLSCOPE_WORKERS'

/** After a cancel's polite stop, how long the command may take to exit before it is killed. */
export const KILL_GRACE_MS = 2_000

/** How much of the end of stderr a failure keeps, in characters. */
export const STDERR_TAIL_CHARS = 4_096

/**
 * After a failing exit, how long to wait for the rest of stderr. The pipe closes only when every
 * process holding it has exited, which a left-behind grandchild can postpone indefinitely.
 */
export const STDERR_DRAIN_MS = 500

/** How to run the command; only `command` is required. */
export interface CommandTargetOptions {
  /** The command template, e.g. `python3 job.py {workers}`. */
  command: string
  /** Run through the platform shell (`/bin/sh`, or `%ComSpec%` on Windows) instead of splitting argv. */
  shell?: boolean
  /** Working folder of the command; default the current one. */
  cwd?: string
  /** The command's environment; default `process.env`. `POOLSCOPE_WORKERS` is added to it. */
  env?: NodeJS.ProcessEnv
  /** Quoting rules for splitting; default the platform's. */
  argvStyle?: ArgvStyle
  /** Decides how a cancelled command's tree is stopped; default `process.platform`. */
  platform?: NodeJS.Platform
}

/** The argv a template runs with `workers` workers. Substituted after splitting, so a count never re-splits. */
export function commandArgv(template: string, workers: number, style: ArgvStyle = platformArgvStyle()): string[] {
  return splitArgv(template, style).map((arg) => arg.replaceAll(WORKERS_PLACEHOLDER, String(workers)))
}

/** Arguments that a shell would treat as operators: pipes, lists, redirections, background. */
const SHELL_OPERATOR = /^(?:\|\|?|&&?|;|[0-9]?>>?(?:&[0-9])?|<|2>&1)$/

/**
 * The arguments of a template that look like shell operators (`|`, `&&`, `>`, …). Without a shell
 * they reach the program as plain arguments, which is rarely what the person typing them meant.
 */
export function shellOperatorsIn(template: string, style: ArgvStyle = platformArgvStyle()): string[] {
  let argv: string[]
  try {
    argv = splitArgv(template, style)
  } catch {
    return []
  }
  // An operator counts only where it also stands unquoted in the template: `'>'` is meant literally.
  const words = new Set(template.split(/\s+/))
  return [...new Set(argv.filter((arg) => SHELL_OPERATOR.test(arg) && words.has(arg)))]
}

function stopTree(child: ChildProcess, platform: NodeJS.Platform, signal: NodeJS.Signals): void {
  const pid = child.pid
  if (pid === undefined) return
  if (platform === 'win32') {
    // Windows has no process groups to signal; taskkill /T ends the tree, /F because console
    // programs cannot be asked politely from outside their console.
    const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true })
    killer.once('error', () => child.kill())
    return
  }
  try {
    // A negative pid signals the whole process group the command leads (it was spawned detached).
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** A command template with nothing in it; `invalid-payload` when a request asked for it. */
export class EmptyCommandError extends RangeError {
  override readonly name = 'EmptyCommandError'
  readonly code = 'invalid-payload'

  constructor() {
    super('the command is empty')
  }
}

/**
 * Creates a target that times `options.command`.
 * @throws EmptyCommandError for a blank template, ArgvSyntaxError for one that cannot be split.
 */
export function createCommandTarget(options: CommandTargetOptions): BenchTarget {
  const template = options.command
  const isShell = options.shell ?? false
  const style = options.argvStyle ?? platformArgvStyle(options.platform)
  const platform = options.platform ?? process.platform
  if (template.trim() === '') throw new EmptyCommandError()
  if (!isShell) commandArgv(template, 1, style)

  async function runOnce(workers: number, abortSignal: AbortSignal): Promise<void> {
    abortSignal.throwIfAborted()
    const env = { ...(options.env ?? process.env), [WORKERS_ENV]: String(workers) }
    const common = {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'] as ['ignore', 'ignore', 'pipe'],
      // POSIX: lead a new process group, so a cancel can stop the command's children too.
      detached: platform !== 'win32',
      windowsHide: true
    }
    const argv = isShell ? [template.replaceAll(WORKERS_PLACEHOLDER, String(workers))] : commandArgv(template, workers, style)
    const child = isShell ? spawn(argv[0], { ...common, shell: true }) : spawn(argv[0], argv.slice(1), common)

    return new Promise<void>((resolve, reject) => {
      let stderrTail = ''
      let isSettled = false
      let killTimer: NodeJS.Timeout | undefined
      let drainTimer: NodeJS.Timeout | undefined

      const settle = (error?: unknown): void => {
        if (isSettled) return
        isSettled = true
        abortSignal.removeEventListener('abort', onAbort)
        clearTimeout(killTimer)
        clearTimeout(drainTimer)
        // Resolution follows the command's exit, not its pipe: a leftover grandchild holding stderr
        // must not keep the benchmark (or the event loop) waiting.
        child.stderr?.destroy()
        if (error === undefined) resolve()
        else reject(error)
      }

      const onAbort = (): void => {
        stopTree(child, platform, 'SIGTERM')
        killTimer = setTimeout(() => stopTree(child, platform, 'SIGKILL'), KILL_GRACE_MS)
      }

      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS)
      })
      child.once('error', (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'ENOENT'
            ? 'no such program (is it installed and on the PATH?)'
            : err.code === 'EINVAL' && platform === 'win32'
              ? // Node refuses to start .cmd/.bat files without a shell (CVE-2024-27980).
                'Windows runs .cmd and .bat files only through a shell; use shell: true (--shell)'
              : err.message
        settle(new Error(`could not start ${argv[0]}: ${why}`, { cause: err }))
      })
      child.once('exit', (code, signal) => {
        if (abortSignal.aborted) {
          // The leader is gone; take any children that ignored the polite stop with it.
          stopTree(child, platform, 'SIGKILL')
          settle(abortSignal.reason)
        } else if (code === 0) {
          settle()
        } else {
          const fail = (): void => settle(new CommandFailedError(argv, code, signal, stderrTail.trim()))
          if (child.stderr === null || child.stderr.closed) return fail()
          child.stderr.once('close', fail)
          drainTimer = setTimeout(fail, STDERR_DRAIN_MS)
        }
      })
      abortSignal.addEventListener('abort', onAbort, { once: true })
    })
  }

  return {
    describe: { command: template, params: isShell ? { shell: true } : {} },
    baseline: (signal) => runOnce(1, signal),
    run: (workers, signal) => runOnce(workers, signal)
  }
}

/** An argument as a person would retype it: quoted when it has spaces or quotes. */
function quoteForDisplay(arg: string): string {
  return arg === '' || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg
}

/**
 * A benchmarked command that did not succeed. A failed run is an error, never a time: a command
 * that crashes fast would otherwise look like a great speedup.
 */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError'

  /**
   * @param argv what was run (for `shell: true`, the shell command line as one element)
   * @param code the exit code, or `null` when a signal ended the process
   * @param signal the signal that ended the process, if one did
   * @param stderrTail the last of what the command wrote to stderr, trimmed
   */
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string
  ) {
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'an unknown signal'}`
    const lastLine = stderrTail.split(/\r?\n/).filter((line) => line.trim() !== '').at(-1)
    super(`command ${how}: ${argv.map(quoteForDisplay).join(' ')}${lastLine === undefined ? '' : ` (stderr: ${lastLine.trim()})`}`)
  }
}

/** The argv style that matches the platform's own terminals. */
export function platformArgvStyle(platform: NodeJS.Platform = process.platform): ArgvStyle {
  return platform === 'win32' ? 'windows' : 'posix'
}
