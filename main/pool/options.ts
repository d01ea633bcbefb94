/**
 * The pool's options, checked by name before any worker starts: an unknown option or a bad value
 * throws `InvalidOptionError` naming it. Also the `chunksize` of the map calls.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { parseRedisUrl, RedisUrlError, type RedisTarget } from '../cluster/redis-url'
import { InvalidOptionError } from './errors'
import { processBackend } from './process-adapter'
import { threadBackend } from './thread-adapter'
import type { MapOptions, PoolOptions, Serialization } from './types'
import { DEFAULT_GRACE_MS, type WorkerBackend } from './worker-adapter'

const KNOWN_OPTIONS = new Set<keyof PoolOptions>([
  'workers',
  'backend',
  'redis',
  'maxTasksPerChild',
  'initializer',
  'preload',
  'taskTimeoutMs',
  'retries',
  'graceMs',
  'workerScript',
  'env',
  'serialization',
  'name'
])

/** `PoolOptions` with every default filled in. */
export interface ResolvedOptions {
  workers: number
  /** A backend to start workers from, or `redis`: the cluster's, loaded (with BullMQ) when the pool starts. */
  backend: WorkerBackend | 'redis'
  /** The cluster's Redis, with backend `redis` only. */
  redis: RedisTarget | undefined
  maxTasksPerChild: number | undefined
  initializer: PoolOptions['initializer']
  preload: string[] | undefined
  taskTimeoutMs: number | undefined
  retries: number
  graceMs: number
  workerScript: string
  env: Record<string, string> | undefined
  serialization: Serialization
  name: string
}

export function resolveOptions(options: PoolOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'must be an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key as keyof PoolOptions)) throw new InvalidOptionError(key, 'is not a pool option')
  }
  const retries = options.retries ?? 0
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidOptionError('retries', 'must be an integer ≥ 0')
  const serialization = options.serialization ?? 'json'
  if (serialization !== 'json' && serialization !== 'advanced') throw new InvalidOptionError('serialization', 'must be "json" or "advanced"')
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new InvalidOptionError('graceMs', 'must be a number ≥ 0')
  const backend = resolveBackend(options.backend)
  return {
    workers: positiveInt('workers', options.workers) ?? availableParallelism(),
    backend,
    redis: redisTarget(options, backend),
    maxTasksPerChild: positiveInt('maxTasksPerChild', options.maxTasksPerChild),
    initializer: options.initializer,
    preload: preloadList(options.preload),
    taskTimeoutMs: positiveInt('taskTimeoutMs', options.taskTimeoutMs),
    retries,
    graceMs,
    workerScript: options.workerScript ?? defaultWorkerScript(),
    env: options.env,
    serialization,
    name: options.name ?? 'PoolWorker'
  }
}

/**
 * Where the built worker entry lives. The pool's modules are bundled next to `worker.js` in
 * `out/main/` (see `electron.vite.config.ts`), so `__dirname` of the bundle is the place; code run
 * from source (tests) passes `workerScript` explicitly.
 */
export function defaultWorkerScript(): string {
  return join(__dirname, 'worker.js')
}

/** Inputs per unit for a map over `length` inputs: a fixed `chunksize`, or Python's automatic one. */
export function chunksizeFor(length: number, chunksize: MapOptions['chunksize'], workers: number): number {
  if (chunksize === undefined || chunksize === 'auto') return autoChunksize(length, workers)
  if (!Number.isInteger(chunksize) || chunksize < 1) throw new InvalidOptionError('chunksize', 'must be an integer ≥ 1')
  return chunksize
}

/**
 * Python's automatic `chunksize` for `Pool.map`: about four chunks per worker, so workers stay
 * busy while the parent sends the next chunk, yet no worker is left with a long tail.
 */
export function autoChunksize(length: number, workers: number): number {
  if (length === 0) return 1
  const per = Math.floor(length / (workers * 4))
  return per + (length % (workers * 4) ? 1 : 0) || 1
}

function positiveInt(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(name, 'must be an integer ≥ 1')
  return value
}

/** The backend option as a backend: a built-in one by name, or a custom one as given. */
function resolveBackend(option: PoolOptions['backend']): WorkerBackend | 'redis' {
  if (option === undefined || option === 'process') return processBackend
  if (option === 'thread') return threadBackend
  if (option === 'redis') return option
  const custom = option as Partial<WorkerBackend> | null
  if (typeof custom === 'object' && custom !== null && typeof custom.name === 'string' && typeof custom.createAdapter === 'function') {
    return option as WorkerBackend
  }
  throw new InvalidOptionError('backend', 'must be "process", "thread", "redis" or a backend object ({ name, createAdapter })')
}

/** Options a local worker needs that mean nothing on a remote host (a job may run on any of them). */
const REMOTE_MEANINGLESS = ['initializer', 'workerScript', 'env', 'serialization'] as const

/** The `redis` option: required with backend `redis`, refused with any other; never shown unmasked. */
function redisTarget(options: PoolOptions, backend: WorkerBackend | 'redis'): RedisTarget | undefined {
  const { redis } = options
  if (backend !== 'redis') {
    if (redis !== undefined) throw new InvalidOptionError('redis', `is only for backend "redis" (the backend is "${backend.name}")`)
    return undefined
  }
  if (redis === undefined) throw new InvalidOptionError('redis', 'is required with backend "redis": the cluster\'s Redis, redis://HOST:PORT')
  if (typeof redis !== 'string') throw new InvalidOptionError('redis', 'must be a URL string, redis://HOST:PORT (or rediss:// for TLS)')
  for (const key of REMOTE_MEANINGLESS) {
    if (options[key] !== undefined) throw new InvalidOptionError(key, 'has no meaning with backend "redis": its workers run on remote hosts')
  }
  try {
    return parseRedisUrl(redis)
  } catch (error) {
    if (error instanceof RedisUrlError) throw new InvalidOptionError('redis', error.message)
    throw error
  }
}

function preloadList(preload: unknown): string[] | undefined {
  if (preload === undefined) return undefined
  if (!Array.isArray(preload) || !preload.every((scope) => typeof scope === 'string' && scope !== '')) {
    throw new InvalidOptionError('preload', 'must be an array of module names (non-empty strings)')
  }
  return preload.length > 0 ? [...preload] : undefined
}

/** `extraArgs`, checked: an array, or nothing; an empty one is nothing. */
export function extraArgsOf(options: MapOptions): unknown[] | undefined {
  const { extraArgs } = options
  if (extraArgs === undefined) return undefined
  if (!Array.isArray(extraArgs)) throw new InvalidOptionError('extraArgs', 'must be an array of the arguments passed after each input')
  return extraArgs.length > 0 ? [...extraArgs] : undefined
}
