/**
 * Runs the CLI as users do (`node bin/poolscope.js …`) in a child process and collects its exit
 * code and output. `onStart` sees the child while it runs, to signal it or its workers.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach } from 'vitest'
import { cliBin, repoRoot } from './paths'
import { childPids, signalIfRunning } from './processes'
import { waitFor } from './wait-for'

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * `isOwnProcessGroup` starts the CLI as the leader of a new process group, as a shell does for a
 * foreground job, so a test can signal the whole group the way a terminal's Ctrl-C does. `env` is
 * added to this process's environment.
 */
export function runCli(
  args: string[],
  onStart?: (child: ChildProcess) => void | Promise<void>,
  { isOwnProcessGroup = false, env = {} as Record<string, string> } = {}
): Promise<CliResult> {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: isOwnProcessGroup
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const closed = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  if (!onStart) return closed
  return Promise.resolve(onStart(child)).then(
    () => closed,
    (error: unknown) => {
      child.kill('SIGKILL')
      throw error
    }
  )
}

/**
 * Registers an `afterEach` that SIGKILLs every CLI worker the returned function found, should a
 * failed test have left one, and returns that function: it resolves with the pids of `count`
 * workers of the CLI once they have started (their title is set when they receive init).
 */
export function useCliWorkers(): (cliPid: number, count: number) => Promise<number[]> {
  let seen: number[] = []
  afterEach(() => {
    for (const pid of seen) signalIfRunning(pid, 'SIGKILL')
    seen = []
  })
  return async (cliPid, count) => {
    const pids = await waitFor(
      `${count} workers of the CLI`,
      () => {
        const found = childPids(cliPid, 'poolscope-worker')
        return found.length >= count && found
      },
      { deadlineMs: 20_000 }
    )
    seen.push(...pids)
    return pids
  }
}
