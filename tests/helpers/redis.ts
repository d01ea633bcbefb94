/**
 * A Redis server of the test's own: `redis-server` on a free loopback port, without persistence,
 * started for a suite and stopped by it. No test needs (or touches) a Redis that is already
 * running. Suites skip when redis-server is missing: `skipUnless('redis-server')`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { childPids, signalIfRunning } from './processes'
import { waitFor } from './wait-for'

export interface TestRedis {
  readonly port: number
  /** `redis://127.0.0.1:<port>` (with `password`, `redis://:<password>@…`). */
  readonly url: string
  readonly pid: number | undefined
  /** The test's own client (one per server, made on first use), closed by `stop()`. */
  client(): Redis
  /** Every key, sorted (small databases only). */
  keys(pattern?: string): Promise<string[]>
  /** Kills the server at once (a Redis lost mid-run); idempotent. */
  kill(): Promise<void>
  /** Stops the server and closes the clients. */
  stop(): Promise<void>
}

const READY_DEADLINE_MS = 10_000

/** A port that was free a moment ago (redis-server is told to use it; a clash is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within ${READY_DEADLINE_MS} ms:\n${output}`)), READY_DEADLINE_MS)
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(error)
    }
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      output += text
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => fail(new Error(`redis-server exited with code ${code}:\n${output}`)))
  })
}

/**
 * Starts `redis-server` on a free loopback port (or on `port`: the same server back after a
 * `kill()`); `password` sets `requirepass`.
 */
export async function startRedis({ password, port: fixedPort }: { password?: string; port?: number } = {}): Promise<TestRedis> {
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = fixedPort ?? (await freePort())
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])]
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      await waitForReady(child)
    } catch (error) {
      lastError = error
      child.kill('SIGKILL')
      continue
    }
    return handle(child, port, password)
  }
  throw lastError
}

function handle(child: ChildProcess, port: number, password: string | undefined): TestRedis {
  const clients: Redis[] = []
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  const url = password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`
  let own: Redis | undefined
  const client = () => {
    if (own) return own
    own = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null })
    own.on('error', () => undefined)
    clients.push(own)
    return own
  }
  const kill = async () => {
    child.kill('SIGKILL')
    await exited
  }
  return {
    port,
    url,
    pid: child.pid,
    client,
    async keys(pattern = '*') {
      return (await client().keys(pattern)).sort()
    },
    kill,
    async stop() {
      for (const c of clients) c.disconnect()
      await kill()
    }
  }
}

/** A `poolscope worker` process started by a test, as a user starts one on each host. */
export interface TestWorkerHost {
  readonly name: string
  readonly child: ChildProcess
  /** Everything it wrote to stderr so far. */
  log(): string
  /** Resolves once its log has a line matching `pattern`. */
  waitForLog(pattern: RegExp, deadlineMs?: number): Promise<void>
  /** Its exit code once it has exited by itself (or been stopped). */
  readonly exited: Promise<number | null>
  /** SIGKILLs the host and every child process of it at once (a machine that dies). */
  killTree(): Promise<void>
  /** Asks it to leave (SIGTERM) and waits for its exit; resolves to its exit code. */
  stop(): Promise<number | null>
}

/** Starts `node out/main/cli.js worker --redis URL --name NAME [--concurrency N]`. */
export function startWorkerHost(
  cliPath: string,
  url: string,
  name: string,
  { concurrency, extraArgs = [] }: { concurrency?: number; extraArgs?: string[] } = {}
): TestWorkerHost {
  const args = [cliPath, 'worker', '--redis', url, '--name', name, ...(concurrency ? ['--concurrency', String(concurrency)] : []), ...extraArgs]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    name,
    child,
    exited,
    log: () => stderr,
    async waitForLog(pattern, deadlineMs = 15_000) {
      const giveUpAt = Date.now() + deadlineMs
      while (!pattern.test(stderr)) {
        if (Date.now() > giveUpAt) throw new Error(`worker host ${name} never logged ${pattern}; its log:\n${stderr}`)
        if (child.exitCode !== null) throw new Error(`worker host ${name} exited (${child.exitCode}); its log:\n${stderr}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    },
    async killTree() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const tree = child.pid === undefined ? [] : childPids(child.pid)
      child.kill('SIGKILL')
      for (const pid of tree) signalIfRunning(pid, 'SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

/**
 * In CI the cluster tests must run (`.ci/run` installs redis-server): there a missing Redis fails
 * the suite instead of skipping it. Elsewhere the requirement is returned unchanged.
 */
export function requireRedisInCi<T extends { isAvailable: boolean; reason: string | undefined }>(needs: T): T {
  if (process.env['CI'] && !needs.isAvailable) throw new Error(`CI runs the cluster tests, but ${needs.reason}`)
  return needs
}

/** Keys of runs (queues, heartbeats, the registry): what must be gone once a run ends. */
export const runKeys = (keys: string[]) => keys.filter((key) => !key.startsWith('poolscope:hosts:'))

/** The runs a host's log says it started serving and has not said ended. */
export function runsStillServed(log: string): string[] {
  const ended = new Set([...log.matchAll(/\brun (\S+) ended\b/g)].map((m) => m[1]!))
  return [...log.matchAll(/\bserving run (\S+)/g)].map((m) => m[1]!).filter((run) => !ended.has(run))
}

/**
 * For a suite on a cluster of its own: a Redis and one `poolscope worker` host per name, started
 * before the suite's tests and stopped after them. Pools given to `track` are terminated after each
 * test, which then waits until nothing of any run is left in Redis.
 */
export function useTestCluster(cli: string, names: string[], { concurrency = 1 }: { concurrency?: number } = {}) {
  let redis: TestRedis | undefined
  let hosts: TestWorkerHost[] = []
  const pools: { terminate(): Promise<void> }[] = []
  beforeAll(async () => {
    redis = await startRedis()
    hosts = names.map((name) => startWorkerHost(cli, redis!.url, name, { concurrency }))
    await Promise.all(hosts.map((host) => host.waitForLog(/waiting for runs/)))
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.terminate()))
    await waitFor('no run left in Redis', async () => runKeys(await redis!.keys()).length === 0, { deadlineMs: 10_000 })
    // A host may still be closing a run's BullMQ worker, which can write the run's keys again
    // after its pool swept them; the host sweeps them once more, then logs that the run ended.
    // Until then the next test could see them.
    const isDone = (host: TestWorkerHost) => host.child.exitCode !== null || host.child.signalCode !== null || runsStillServed(host.log()).length === 0
    await waitFor('every host to have let go of every run', () => hosts.every(isDone), { deadlineMs: 10_000 })
    await waitFor('no run left in Redis', async () => runKeys(await redis!.keys()).length === 0, { deadlineMs: 10_000 })
  })
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.killTree()))
    await redis?.stop()
  })
  return {
    get redis(): TestRedis {
      return redis!
    },
    get hosts(): TestWorkerHost[] {
      return hosts
    },
    /** Terminated after the test. */
    track<P extends { terminate(): Promise<void> }>(pool: P): P {
      pools.push(pool)
      return pool
    }
  }
}
