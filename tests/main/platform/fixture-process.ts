/**
 * Helpers for tests that run the real child fixtures in `tests/fixtures/launch/`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const fixturesDir = resolve(__dirname, '../../fixtures/launch')

/** Absolute path of a fixture script. */
export function fixturePath(name: string): string {
  return resolve(fixturesDir, name)
}

const started = new Set<ChildProcess>()

/**
 * Starts `node <fixture> ...args` as its own process group leader and resolves with the pids the
 * fixture prints as `{"pids":[...]}` on its first line (spawn-tree.cjs does).
 */
export function startTree(args: string[], options: { detached?: boolean } = {}): Promise<{ child: ChildProcess; pids: number[] }> {
  const child = spawn(process.execPath, [fixturePath('spawn-tree.cjs'), 'root', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: options.detached ?? true
  })
  started.add(child)
  return new Promise((resolvePids, reject) => {
    let buffered = ''
    child.once('error', reject)
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const newline = buffered.indexOf('\n')
      if (newline >= 0) resolvePids({ child, pids: JSON.parse(buffered.slice(0, newline)).pids })
    })
    child.once('exit', (code) => {
      if (buffered.indexOf('\n') < 0) reject(new Error(`spawn-tree exited ${code} before printing its pids`))
    })
  })
}

/** Kills whatever a test started and left running (by pid, SIGKILL). */
export function killStarted(extraPids: number[] = []): void {
  for (const child of started) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  started.clear()
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone: the point of the test.
    }
  }
}

/** What `process.kill(pid, 0)` says: true while the pid exists (zombies included). */
export function answersSignalZero(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * True for a zombie on Linux. Where pid 1 does not reap orphans (this project's CI containers)
 * a killed orphan stays a zombie, which `kill(pid, 0)` still answers for although it is dead.
 */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z'
  } catch {
    return false
  }
}

/** Pids that `process.kill(pid, 0)` still finds and that are not zombies. */
export function survivorsBySignalZero(pids: number[]): number[] {
  return pids.filter((pid) => answersSignalZero(pid) && !isZombie(pid))
}

/** Resolves once `predicate` holds, checking every 20 ms; rejects after `limitMs`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
