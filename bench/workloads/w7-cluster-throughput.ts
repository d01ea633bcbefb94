/**
 * W7 cluster throughput: square (delayMs 0) over 20,000 inputs through the cluster — a redis-server
 * and two `poolscope worker` hosts of one slot each on this machine — with chunksize 1 (one job per
 * input) and auto (a chunk travels as one job), side by side with plain BullMQ doing the same jobs:
 * a Queue with addBulk here and two Worker processes of concurrency 8 computing x·x in process,
 * with no sandbox (the engine's own ceiling per job).
 */
import { spawn } from 'node:child_process'
import { Queue, QueueEvents, Worker } from 'bullmq'
import { ClusterPool } from '../../main/cluster/cluster-pool'
import { hasRedisServer, startHost, startRedisServer, withoutRedis, type BenchHost, type BenchRedis } from '../cluster'
import { benchEntry } from '../paths'
import { formats, medianOf, rowsFrom, type Metric, type Section } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { assertEqual, type BenchContext, type Workload } from './workload'

const INPUTS = 20_000
const GROUP = `square, delayMs 0, over ${INPUTS.toLocaleString('en-US')} inputs on 2 worker processes`
const RAW_CONCURRENCY = 8
const BULK = 1_000
/** Inputs a pool runs before its first timed run: one full run, as the speedup lab warms up with the timed work itself. */
const WARM_UP = INPUTS

const ONE_TARGET = 'chunksize 1 ≥ 0.8× plain BullMQ'
const AUTO_TARGET = 'chunksize auto ≥ 10× plain BullMQ'

const rate: Metric = { key: 'perSec', label: 'tasks/s', better: 'higher', format: formats.rate }

/** Child side (`--child w7-raw-worker URL QUEUE [CONCURRENCY]`): a plain BullMQ Worker, x·x in process. */
export async function w7RawWorker(url: string, queueName: string, concurrency = RAW_CONCURRENCY): Promise<void> {
  const worker = new Worker(queueName, async (job) => (job.data as { x: number }).x ** 2, {
    connection: { url, maxRetriesPerRequest: null },
    prefix: 'raw',
    concurrency
  })
  await worker.waitUntilReady()
  process.stdout.write('ready\n')
  // Serves until the bench is done with it (the bench exits once a child mode returns).
  await new Promise<void>((resolve) => process.once('SIGTERM', () => void worker.close(true).then(resolve)))
}

async function rawRun(url: string, workerCount: number, concurrency: number, round: number): Promise<Record<string, number>> {
  const name = `w7-${process.pid}-${round}`
  const connection = { url, maxRetriesPerRequest: null }
  const queue = new Queue(name, { connection, prefix: 'raw', defaultJobOptions: { removeOnComplete: true }, streams: { events: { maxLen: 200_000 } } })
  const events = new QueueEvents(name, { connection, prefix: 'raw', lastEventId: '0-0' })
  const workers = Array.from({ length: workerCount }, () => spawn(process.execPath, [benchEntry, '--child', 'w7-raw-worker', url, name, String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] }))
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve, reject) => {
            w.stdout!.once('data', resolve)
            w.once('exit', (code) => reject(new Error(`a plain BullMQ worker exited with code ${code} before it was ready`)))
          })
      )
    )
    await events.waitUntilReady()
    const results = new Array<number>(INPUTS)
    let done = 0
    const finished = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId, returnvalue }) => {
        results[Number(jobId.slice(1))] = returnvalue as unknown as number
        if (++done === INPUTS) resolve()
      })
    )
    const started = performance.now()
    for (let i = 0; i < INPUTS; i += BULK) {
      await queue.addBulk(Array.from({ length: Math.min(BULK, INPUTS - i) }, (_, k) => ({ name: 'square', data: { x: i + k }, opts: { jobId: `j${i + k}` } })))
    }
    await finished
    const seconds = (performance.now() - started) / 1000
    for (let i = 0; i < INPUTS; i++) assertEqual(results[i], i * i, `raw square ${i}`)
    return { perSec: INPUTS / seconds }
  } finally {
    for (const w of workers) w.kill('SIGTERM')
    await events.close()
    await queue.obliterate({ force: true }).catch(() => undefined)
    await queue.close()
  }
}

/**
 * A contender timing one starmap per run on a pool of its own, started and warmed once (as the
 * speedup lab keeps a warm pool per series): the engine learns per function how deep to line up
 * units, and a fresh pool would spend its first few thousand inputs learning.
 */
function clusterContender(url: string, id: string, label: string, chunksize: number | 'auto', runs: number) {
  let pool: ClusterPool | undefined
  const contender: Contender = {
    id,
    label,
    group: GROUP,
    runs,
    async run() {
      if (!pool) {
        pool = new ClusterPool({ redis: url, workers: 2, name: `w7-${id}` })
        await pool.ready()
        await pool.starmap('square:square', Array.from({ length: WARM_UP }, (_, i) => [i, 0]), { chunksize })
      }
      const inputs = Array.from({ length: INPUTS }, (_, i) => [i, 0])
      const started = performance.now()
      const squares = await pool.starmap<number>('square:square', inputs, { chunksize })
      const seconds = (performance.now() - started) / 1000
      for (let i = 0; i < INPUTS; i++) assertEqual(squares[i], i * i, `square ${i}`)
      return { perSec: INPUTS / seconds }
    }
  }
  return { contender, close: () => pool?.terminate() }
}

function rawContender(url: string, workerCount: number, runs: number, nextRound: () => number, concurrency = RAW_CONCURRENCY): Contender {
  const processes = workerCount === 1 ? '1 Worker process' : `${workerCount} Worker processes`
  return {
    id: concurrency === RAW_CONCURRENCY ? `raw-bullmq-${workerCount}` : `raw-bullmq-${workerCount}-c${concurrency}`,
    label: `plain BullMQ: addBulk, ${processes} × concurrency ${concurrency}, x·x in process`,
    group: GROUP,
    runs,
    run: () => rawRun(url, workerCount, concurrency, nextRound())
  }
}

export const w7ClusterThroughput: Workload = {
  id: 'w7',
  title: `cluster throughput: square over ${INPUTS.toLocaleString('en-US')} inputs through Redis and 2 worker hosts`,
  async run(context: BenchContext): Promise<Section> {
    const { runs } = context
    if (!hasRedisServer()) return withoutRedis('w7', this.title, [ONE_TARGET, AUTO_TARGET])
    let redis: BenchRedis | undefined
    let hosts: BenchHost[] = []
    let round = 0
    const closers: (() => Promise<void> | undefined)[] = []
    try {
      redis = await startRedisServer()
      const url = redis.url
      hosts = await Promise.all(['w7-a', 'w7-b'].map((name) => startHost(url, name, 1)))
      const ones = clusterContender(url, 'cluster-1', 'PoolScope cluster, chunksize 1 (a job per input)', 1, runs)
      const autos = clusterContender(url, 'cluster-auto', 'PoolScope cluster, chunksize auto (a job per chunk)', 'auto', runs)
      closers.push(ones.close, autos.close)
      const contenders: Contender[] = [
        ones.contender,
        autos.contender,
        rawContender(url, 2, runs, () => round++),
        rawContender(url, 1, runs, () => round++),
        // As many jobs taken at once as a host takes of tiny jobs (32 per slot): the same trick in plain BullMQ.
        rawContender(url, 2, runs, () => round++, 32)
      ]
      const samples = await runInterleaved(contenders, context.log)
      const section: Section = {
        id: 'w7',
        title: this.title,
        notes: [
          'one redis-server (no persistence) and two `poolscope worker --concurrency 1` hosts on this machine: 2 sandboxed slot processes in all',
          `PoolScope: one ClusterPool of 2 workers per row, started and warmed with ${WARM_UP.toLocaleString('en-US')} inputs once; time runs from starmap to the last result, every square checked in order`,
          'plain BullMQ: a Queue (jobs added 1,000 per addBulk) and QueueEvents here, Worker processes computing x·x in process, without a sandbox; ' +
            'time runs from the first addBulk to the last completed event, every square checked; the targets compare with the 2-process row ' +
            '(as many worker processes as the cluster\'s slots); the 1-process row is the script of the issue\'s toolchain notes',
          'after 64 short jobs in a row a host takes 32 per slot at once (a Redis round trip per take is most of a tiny job); one per slot again from the first long one; ' +
            'the concurrency-32 row gives plain BullMQ the same, for comparison (the target is against the issue\'s script, concurrency 8)'
        ],
        rows: rowsFrom(contenders, samples, [rate], new Set(['cluster-1'])),
        targets: []
      }
      const raw = medianOf(section, 'raw-bullmq-2', 'perSec')
      const one = medianOf(section, 'cluster-1', 'perSec')
      const auto = medianOf(section, 'cluster-auto', 'perSec')
      section.targets.push(
        { workload: 'w7', target: ONE_TARGET, measured: `${(one / raw).toFixed(2)}×`, isMet: Number.isFinite(one / raw) ? one / raw >= 0.8 : undefined },
        { workload: 'w7', target: AUTO_TARGET, measured: `${(auto / raw).toFixed(1)}×`, isMet: Number.isFinite(auto / raw) ? auto / raw >= 10 : undefined },
        {
          workload: 'w7',
          target: 'chunksize 1 against plain BullMQ taking 32 jobs at once too (for comparison; no target)',
          measured: `${(one / medianOf(section, 'raw-bullmq-2-c32', 'perSec')).toFixed(2)}×`,
          isMet: undefined
        }
      )
      return section
    } finally {
      for (const close of closers) await close()
      await Promise.all(hosts.map((host) => host.stop()))
      await redis?.stop()
    }
  }
}
