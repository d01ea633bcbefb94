/**
 * "Nothing changes for a user who never names Redis": the built engine and app, run in a fresh
 * Node with a hook on `require`, load neither BullMQ nor ioredis unless a Redis is named. Each
 * check has its control in the same way of running: naming a Redis (on a port where nothing
 * listens) does load BullMQ, so a module that slipped back to a static import fails the test.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { repoRoot, workerScript } from '../../helpers/paths'
import { skipUnless } from '../../helpers/skip'

const needs = skipUnless('build')
const cli = resolve(repoRoot, 'out/main/cli.js')

/** Records every `require` of the cluster's libraries; `loaded()` lists them. */
const HOOK = `
const Module = require('node:module')
const seen = new Set()
const load = Module._load
Module._load = function (request) {
  const name = /^(bullmq|ioredis)(?:\\/|$)/.exec(request)?.[1]
  if (name) seen.add(name)
  return load.apply(this, arguments)
}
globalThis.loaded = () => [...seen].sort()
process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + JSON.stringify(globalThis.loaded()) + '\\n'))
`

/** A loopback port where nothing listens. */
function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

interface Probe {
  stdout: string
  /** What the hook saw load, read at the child's exit. */
  loaded: string[]
  code: number | null
}

/** Runs `script` after the hook in a fresh Node; `onStdout` may end it (SIGTERM) once it has printed enough. */
function probe(script: string, onStdout?: (stdout: string) => boolean): Promise<Probe> {
  const child = spawn(process.execPath, ['-e', HOOK + script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text
    if (onStdout?.(stdout)) child.kill('SIGTERM')
  })
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  return new Promise((resolveProbe, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      const line = /^LOADED (.*)$/m.exec(stderr)
      if (!line) return reject(new Error(`the child printed no LOADED line (exit ${code}):\n${stderr}`))
      resolveProbe({ stdout, loaded: JSON.parse(line[1]) as string[], code })
    })
  })
}

/** The engine's `Pool` class, as the built bundle has it (the CLI's entry loads the engine, not the app). */
const BUILT_POOL = `
require(${JSON.stringify(cli)})
const Pool = Object.values(require.cache).map((m) => m.exports && m.exports.Pool).find((p) => typeof p === 'function')
if (!Pool) throw new Error('no Pool in the built bundle');
`

describe.skipIf(!needs.isAvailable)(needs.suite('BullMQ loads only when a Redis is named'), () => {
  it('the engine\'s Pool with the default backend runs work without loading BullMQ; backend "redis" loads it', async () => {
    const port = await closedPort()
    const result = await probe(`${BUILT_POOL}
(async () => {
  const pool = new Pool({ workers: 2, workerScript: ${JSON.stringify(workerScript)} })
  const squares = await pool.starmap('square:square', [[3, 0], [4, 0]])
  await pool.terminate()
  const local = loaded()
  const remote = new Pool({ backend: 'redis', redis: 'redis://127.0.0.1:${port}', workers: 1 })
  const refused = await remote.ready().then(() => 'connected', (error) => error.name)
  await remote.terminate()
  console.log(JSON.stringify({ squares, local, refused, remote: loaded() }))
})()`)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ squares: [9, 16], local: [], refused: 'RedisUnavailableError', remote: ['bullmq', 'ioredis'] })
  }, 30_000)

  const dashboardLine = (stdout: string) => /https?:\/\/127\.0\.0\.1:\d+/.test(stdout)
  const serve = (args: string[]) => probe(`require(${JSON.stringify(cli)}).runAsProgram(${JSON.stringify(['serve', '--port', '0', ...args])})`, dashboardLine)

  it('serve (createApp) without --redis answers on its port without loading BullMQ', async () => {
    const result = await serve([])
    expect(dashboardLine(result.stdout)).toBe(true)
    expect(result.loaded).toEqual([])
  }, 30_000)

  it('serve --redis URL loads BullMQ (the control: the hook sees the cluster\'s modules)', async () => {
    const result = await serve(['--redis', `redis://127.0.0.1:${await closedPort()}`])
    expect(dashboardLine(result.stdout)).toBe(true)
    expect(result.loaded).toEqual(['bullmq', 'ioredis'])
  }, 30_000)
})
