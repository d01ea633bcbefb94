/**
 * The chaos soak: N tasks of mixed catalog work through two pools at once, one of each backend,
 * while workers are killed at random and tasks get random timeouts and aborts; then the books are
 * checked (see `soak-ledger.ts`) and the pools closed, and nothing may be left running.
 *
 * Work goes through every way the engine hands results back: `apply` (a promise), `applyAsync`
 * (callbacks, which could fire twice), `starmap` with random chunk sizes (an array, which could be
 * short or long) and `imapUnordered` (a stream, which could repeat or skip an item when a chunk is
 * re-run after a kill).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool, type Backend, type MapOptions } from '../pool/index'
import { ChaosMonkey, type KillCounts } from './chaos-monkey'
import { findOrphans, killOrphans } from './orphan-check'
import { ResourceSampler, toMb } from './resource-sampler'
import { SeededChoices } from './seeded-choices'
import { SoakLedger, type LedgerSummary } from './soak-ledger'
import { ARGUMENT_KINDS, BATCH_ID_SPAN, makeWork, type WorkItem } from './soak-work'

export interface SoakOptions {
  /** How many tasks to submit. */
  tasks: number
  /**
   * Spread the submissions evenly over this long (a slower machine takes longer: the report says
   * how long it took); without it, tasks go in as fast as the workers take them.
   */
  seconds?: number
  seed: number
  /** Workers per pool. */
  workers: number
  /** Mean time between two kills, ms; 0 kills nothing. */
  killEveryMs: number
  /** Whether workers still starting are killed too; see `ChaosMonkeyOptions.canKillStarting`. */
  canKillStarting: boolean
  /** Tasks in flight at most. */
  concurrency: number
  /** How long the last results may take once submission has ended before the rest count as lost. */
  drainMs: number
  /** The built worker entry; default the pool's own. */
  workerScript?: string
  /** Told every few seconds how many tasks have been submitted. */
  onProgress?: (submitted: number, total: number) => void
}

/** What the soak prints: the seven figures first, then what explains them. */
export interface SoakReport {
  tasks: number
  lost: number
  duplicated: number
  wrong: number
  workersKilled: number
  orphans: number
  rssGrowthMb: number
  seed: number
  seconds: number
  killed: KillCounts
  outcomes: LedgerSummary['outcomes']
  /** Units the pools re-ran after their worker died under them. */
  retried: number
  /** Pools whose own counters did not add up after the drain (submitted ≠ completed + failed). */
  poolCounterMismatches: string[]
  examples: string[]
}

export const SOAK_DEFAULTS = {
  tasks: 2_000,
  workers: 2,
  killEveryMs: 100,
  canKillStarting: true,
  concurrency: 64,
  drainMs: 60_000
} as const

type Style = 'apply' | 'apply-async' | 'starmap' | 'imap-unordered'
const STYLES: readonly Style[] = ['apply', 'apply-async', 'starmap', 'imap-unordered']

/** Chances per batch; the rest of the batches run without faults. */
const TIMEOUT_CHANCE = 0.06
const ABORT_CHANCE = 0.06
const NO_RETRY_CHANCE = 0.05
const MAX_BATCH = 40
/** How often progress is reported. */
const PROGRESS_EVERY_MS = 5_000
/** How long a pool gets to exit gracefully after `close()` before it is terminated. */
const CLOSE_DEADLINE_MS = 30_000

interface Batch {
  pool: Pool
  style: Style
  items: WorkItem[]
  options: MapOptions
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  if (BATCH_ID_SPAN <= MAX_BATCH) throw new Error('batches must hold fewer items than BATCH_ID_SPAN')
  const random = new SeededChoices(options.seed)
  const memory = new ResourceSampler(100)
  memory.start()
  const startedAt = Date.now()
  const name = `soak-${options.seed}`
  const pools = (['process', 'thread'] as Backend[]).map(
    (backend) => new Pool({ workers: options.workers, backend, name: `${name}-${backend}`, workerScript: options.workerScript })
  )
  const livePids = trackWorkerPids(pools)
  const ledger = new SoakLedger()
  const monkey = new ChaosMonkey(pools, random, { meanGapMs: options.killEveryMs, canKillStarting: options.canKillStarting })
  monkey.start()

  const inFlight = new Set<Promise<void>>()
  let tasksInFlight = 0
  let wake: (() => void) | undefined
  let nextId = 0
  let lastProgressAt = startedAt
  const msPerTask = options.seconds === undefined ? 0 : (options.seconds * 1000) / options.tasks
  try {
    while (nextId < options.tasks) {
      const dueAt = startedAt + nextId * msPerTask
      if (dueAt > Date.now()) await sleep(dueAt - Date.now())
      while (tasksInFlight >= options.concurrency) await new Promise<void>((resolve) => (wake = resolve))
      const batch = planBatch(random, pools, nextId, Math.min(options.tasks - nextId, options.concurrency))
      nextId += batch.items.length
      tasksInFlight += batch.items.length
      const settled = runBatch(batch, random, ledger).finally(() => {
        tasksInFlight -= batch.items.length
        inFlight.delete(settled)
        wake?.()
      })
      inFlight.add(settled)
      if (options.onProgress && Date.now() - lastProgressAt >= PROGRESS_EVERY_MS) {
        lastProgressAt = Date.now()
        options.onProgress(nextId, options.tasks)
      }
    }
  } finally {
    monkey.stop()
  }
  await settleWithin([...inFlight], options.drainMs)
  ledger.close()

  const poolCounterMismatches = pools.flatMap((pool) => counterMismatch(pool))
  const retried = pools.reduce((sum, pool) => sum + pool.snapshot().retried, 0)
  await Promise.all(pools.map((pool) => closePool(pool)))
  const orphans = await findOrphans(livePids)
  killOrphans(orphans)
  const rss = memory.stop().rssBytes
  const books = ledger.summary()
  return {
    tasks: books.tasks,
    lost: books.lost,
    duplicated: books.duplicated,
    wrong: books.wrong,
    workersKilled: monkey.killed.process + monkey.killed.thread,
    orphans: orphans.length,
    rssGrowthMb: toMb(rss.peak - rss.start),
    seed: options.seed,
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    killed: monkey.killed,
    outcomes: books.outcomes,
    retried,
    poolCounterMismatches,
    examples: books.examples
  }
}

/** The pids of the pools' worker processes that have started and not exited yet. */
function trackWorkerPids(pools: readonly Pool[]): Set<number> {
  const live = new Set<number>()
  for (const pool of pools) {
    if (pool.backend !== 'process') continue
    pool.on('worker-start', (worker) => worker.pid !== undefined && live.add(worker.pid))
    pool.on('worker-exit', (worker) => worker.pid !== undefined && live.delete(worker.pid))
  }
  return live
}

function planBatch(random: SeededChoices, pools: readonly Pool[], firstId: number, room: number): Batch {
  const pool = random.pick(pools)
  const style = random.pick(STYLES)
  const size = style === 'apply' || style === 'apply-async' ? 1 : random.int(1, Math.min(MAX_BATCH, room))
  const kind = style === 'imap-unordered' ? 'sum-below' : random.pick(ARGUMENT_KINDS)
  const items = Array.from({ length: size }, (_, i) => makeWork(firstId + i, kind, random))
  const options: MapOptions = { retries: random.chance(NO_RETRY_CHANCE) ? 0 : random.int(2, 5) }
  if (random.chance(TIMEOUT_CHANCE)) options.timeoutMs = random.int(1, 30)
  if (size > 1) options.chunksize = random.int(1, size)
  return { pool, style, items, options }
}

/** Runs one batch and books every outcome; never rejects. */
async function runBatch(batch: Batch, random: SeededChoices, ledger: SoakLedger): Promise<void> {
  const { pool, style, items } = batch
  let isAborted = false
  let abortTimer: NodeJS.Timeout | undefined
  const options = { ...batch.options }
  if (random.chance(ABORT_CHANCE)) {
    const controller = new AbortController()
    options.signal = controller.signal
    abortTimer = setTimeout(() => {
      isAborted = true
      controller.abort('soak abort')
    }, random.int(0, 30))
  }
  for (const item of items) ledger.register(item, { timeoutMs: options.timeoutMs, isAborted: () => isAborted })
  const failRest = (error: unknown) => {
    for (const item of items) if (!ledger.isSettled(item.id)) ledger.fail(item.id, error)
  }
  try {
    switch (style) {
      case 'apply': {
        const [item] = items
        ledger.deliver(item.id, await pool.apply(item.fn, item.args, options))
        break
      }
      case 'apply-async': {
        const [item] = items
        // Settled by the first callback; a second one still reaches the ledger, as a duplicate.
        await new Promise<void>((resolve) => {
          pool.applyAsync(item.fn, item.args, {
            ...options,
            callback: (value) => (ledger.deliver(item.id, value), resolve()),
            errorCallback: (error) => (ledger.fail(item.id, error), resolve())
          })
        })
        break
      }
      case 'starmap': {
        const values = await pool.starmap(items[0].fn, items.map((item) => item.args), options)
        // A short array leaves the missing tasks unsettled (lost); a long one is counted as strays.
        for (let i = 0; i < Math.min(items.length, values.length); i++) ledger.deliver(items[i].id, values[i])
        for (let i = items.length; i < values.length; i++) ledger.stray(`starmap returned ${values.length} values for ${items.length} inputs`)
        break
      }
      case 'imap-unordered': {
        const byValue = new Map(items.map((item) => [item.expected, item]))
        for await (const value of pool.imapUnordered(items[0].fn, items.map((item) => item.args[0]), options)) {
          const item = byValue.get(value)
          if (item) ledger.deliver(item.id, value)
          else ledger.stray(`imapUnordered yielded ${JSON.stringify(value)}, no input of its batch gives it`)
        }
        break
      }
    }
  } catch (error) {
    failRest(error)
  } finally {
    clearTimeout(abortTimer)
  }
}

/** Waits for `promises` to settle, or until `ms` have passed. */
async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  await Promise.race([Promise.allSettled(promises), timeUp])
  clearTimeout(timer)
}

/** The pool's own books after the drain: every unit submitted has completed or failed. */
function counterMismatch(pool: Pool): string[] {
  const s = pool.snapshot()
  if (s.pending === 0 && s.running === 0 && s.submitted === s.completed + s.failed) return []
  return [`${pool.backend}: submitted ${s.submitted}, completed ${s.completed}, failed ${s.failed}, pending ${s.pending}, running ${s.running}`]
}

/** Closes gracefully; terminates a pool that has not exited within the deadline. */
async function closePool(pool: Pool): Promise<void> {
  pool.close()
  let timer: NodeJS.Timeout | undefined
  const isJoined = await Promise.race([
    pool.join().then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_DEADLINE_MS)))
  ])
  clearTimeout(timer)
  if (!isJoined) await pool.terminate()
}
