/**
 * The pools under test behind one small interface, so W2, W3 and W4 drive every library the same
 * way: `call(fn, arg)` is one task and one promise, in each library's own idiom.
 */
import { Pool, type PoolOptions } from '../main/pool'
import { fixtures } from './paths'
import { loadPiscina, loadTinypool, loadWorkerpool } from './peer-libs'

export type FnName = 'identity' | 'spin'

export interface BenchPool {
  /** Resolves once every worker has started, where the library can say so (PoolScope's `ready()`). */
  ready(): Promise<void>
  call(fn: FnName, arg: number): Promise<unknown>
  close(): Promise<void>
}

export interface PoolKind {
  id: string
  label: string
  /** Whether workers are OS processes; targets compare PoolScope with process-mode peers. */
  isProcess: boolean
  isPoolScope: boolean
  /** Loads the library (not timed). */
  load(): Promise<void>
  /** Constructs the pool; W4 times from here. */
  open(workers: number): BenchPool
}

/**
 * piscina, workerpool and tinypool start their minimum of workers at construction but expose no
 * readiness; they hand a worker one task at a time, so one that is still starting is simply not
 * given work, and the warm-up tasks below start it.
 */
const notExposed = async () => undefined

/** The same FnRef objects for every call: PoolScope sends the ref with each unit. */
const poolScopeFns = {
  identity: { module: fixtures.work, export: 'identity' },
  spin: { module: fixtures.work, export: 'spin' }
} as const

interface PoolScopeVariant {
  id: string
  label: string
  options: Pick<PoolOptions, 'env' | 'serialization'>
}

/**
 * With `BENCH_WORKER_OUTPUT` (bench/profile.ts: a worker's `--trace-opt` or `--trace-gc` lines, on
 * demand), the pool's workers' stdout and stderr on this process's stderr.
 */
export function relayOutput(pool: Pool): void {
  if (process.env.BENCH_WORKER_OUTPUT) pool.on('output', (o: { text: string }) => process.stderr.write(`worker: ${o.text}`))
}

function poolScope(backend: 'process' | 'thread', variant?: PoolScopeVariant): PoolKind {
  return {
    id: `poolscope-${backend}${variant ? `-${variant.id}` : ''}`,
    label: `PoolScope (${backend})${variant ? `, ${variant.label}` : ''}`,
    isProcess: backend === 'process',
    isPoolScope: true,
    load: async () => undefined,
    open(workers) {
      const pool = new Pool({ workers, backend, name: 'bench', ...variant?.options })
      relayOutput(pool)
      return {
        ready: () => pool.ready(),
        call: (fn, arg) => pool.apply(poolScopeFns[fn], [arg]),
        close: () => pool.terminate()
      }
    }
  }
}

export const poolScopeProcess = poolScope('process')
export const poolScopeThread = poolScope('thread')
/**
 * W4's second PoolScope row: PoolScope leaves NODE_EXTRA_CA_CERTS out of worker environments
 * (Node 20 reads the whole bundle at every start); a pool whose workers need it names it in `env`,
 * and this row measures what that costs.
 */
export const poolScopeProcessWithExtraCa = poolScope('process', {
  id: 'with-extra-ca',
  label: 'workers given NODE_EXTRA_CA_CERTS (env option)',
  options: { env: { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' } }
})
/** The pool option that trades round-trip latency for bulk speed (and richer values): W1 and W2. */
export const poolScopeProcessAdvanced = poolScope('process', {
  id: 'advanced',
  label: "serialization: 'advanced'",
  options: { serialization: 'advanced' }
})

let Piscina: ReturnType<typeof loadPiscina> | undefined
export const piscina: PoolKind = {
  id: 'piscina',
  label: 'piscina (threads)',
  isProcess: false,
  isPoolScope: false,
  load: async () => void (Piscina ??= loadPiscina()),
  open(workers) {
    const pool = new Piscina!({ filename: fixtures.work, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 })
    return { ready: notExposed, call: (fn, arg) => pool.run(arg, { name: fn }), close: () => pool.destroy() }
  }
}

let workerpoolLib: ReturnType<typeof loadWorkerpool> | undefined
export const workerpool: PoolKind = {
  id: 'workerpool',
  label: 'workerpool (process)',
  isProcess: true,
  isPoolScope: false,
  load: async () => void (workerpoolLib ??= loadWorkerpool()),
  open(workers) {
    const pool = workerpoolLib!.pool(fixtures.workerpoolWorker, { minWorkers: workers, maxWorkers: workers, workerType: 'process' })
    return { ready: notExposed, call: (fn, arg) => pool.exec(fn, [arg]), close: () => pool.terminate(true) }
  }
}

let Tinypool: Awaited<ReturnType<typeof loadTinypool>> | undefined
export const tinypool: PoolKind = {
  id: 'tinypool',
  label: 'tinypool (child_process)',
  isProcess: true,
  isPoolScope: false,
  load: async () => void (Tinypool ??= await loadTinypool()),
  open(workers) {
    const pool = new Tinypool!({
      filename: fixtures.work,
      runtime: 'child_process',
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000
    })
    return { ready: notExposed, call: (fn, arg) => pool.run(arg, { name: fn }), close: () => pool.destroy() }
  }
}

export const allKinds: readonly PoolKind[] = [poolScopeProcess, poolScopeThread, piscina, workerpool, tinypool]

export function kindById(id: string): PoolKind {
  const kind = [...allKinds, poolScopeProcessWithExtraCa, poolScopeProcessAdvanced].find((k) => k.id === id)
  if (!kind) throw new Error(`unknown pool kind "${id}"`)
  return kind
}

/**
 * Every worker has started and run a few tasks: modules loaded, first-call paths taken.
 * `isReadyAwaited: false` skips PoolScope's `ready()` (W3 shows what that does).
 */
export async function warm(pool: BenchPool, workers: number, isReadyAwaited = true): Promise<void> {
  if (isReadyAwaited) await pool.ready()
  await Promise.all(Array.from({ length: workers * 4 }, (_, i) => pool.call('identity', i)))
}
