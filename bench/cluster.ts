/**
 * The cluster under the bench: a redis-server of its own on a free loopback port and
 * `poolscope worker` hosts of the built CLI, as users start them; everything is stopped after.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { repoRoot } from './paths'
import type { Section } from './report'

const cliPath = join(repoRoot, 'out', 'main', 'cli.js')

export interface BenchRedis {
  url: string
  stop(): Promise<void>
}

export interface BenchHost {
  name: string
  child: ChildProcess
  /** SIGKILL of the host and its slots' processes, as a machine dying. */
  killTree(): Promise<void>
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Resolves when `child` has written a line matching `pattern` to `stream`. */
function waitForOutput(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 15 s:\n${text}`)), 15_000)
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      text = (text + chunk).slice(-8000)
      if (pattern.test(text)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited with code ${code}:\n${text}`))
    })
  })
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()))

/** Whether `redis-server` can be started here (Debian: apt-get install -y redis-server). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

/** The section of a cluster workload on a machine without redis-server: a note, no figures. */
export function withoutRedis(id: string, title: string, targets: string[]): Section {
  return {
    id,
    title,
    notes: ['skipped: no redis-server on this machine (apt-get install -y redis-server)'],
    rows: [],
    targets: targets.map((target) => ({ workload: id, target, measured: 'n/a (no redis-server)', isMet: undefined }))
  }
}

export async function startRedisServer(): Promise<BenchRedis> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.once('error', () => undefined)
  await waitForOutput(child, 'stdout', /Ready to accept connections/, 'redis-server')
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL')
      await exitOf(child)
    }
  }
}

export async function startHost(url: string, name: string, slots: number): Promise<BenchHost> {
  const child = spawn(process.execPath, [cliPath, 'worker', '--redis', url, '--name', name, '--concurrency', String(slots)], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  await waitForOutput(child, 'stderr', /waiting for runs/, `worker host ${name}`)
  return {
    name,
    child,
    async killTree() {
      let kids: number[] = []
      try {
        kids = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)
      } catch {
        // No children.
      }
      child.kill('SIGKILL')
      for (const pid of kids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Already gone with its parent.
        }
      }
      await exitOf(child)
    },
    async stop() {
      child.kill('SIGTERM')
      await exitOf(child)
    }
  }
}
