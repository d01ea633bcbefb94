/**
 * W2 latency: 2,000 sequential single tasks on a warm pool of 2, each awaited before the next is
 * submitted, so every one pays a full round trip. p50 and p99 per run; the table shows the
 * median of those over runs.
 */
import { runPython } from '../child-process'
import { allKinds, poolScopeProcessAdvanced, warm, type PoolKind } from '../pools'
import { RawForkPool } from '../raw-fork'
import { findRow, formats, medianOf, rowsFrom, summaryOf, type Metric, type Section, type TargetResult } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { quantile } from '../stats'
import type { BenchContext, Workload } from './workload'

const TASKS = 2_000
/**
 * Untimed round trips first, so JIT tiers and lazy paths are settled on both sides. 200 did not
 * settle them once each workload ran in a fresh process: both PoolScope's and workerpool's p50
 * came down from about 25 to about 19 µs with 2,000 (bench/README, "sixth session"). Nor did 2,000:
 * each run's pool is fresh and the one before it collected, and V8's trace in this process
 * (`--trace-opt`, with `BENCH_W2_MARKS=1`) shows every contender compiling 5–11 functions again
 * in its timed window, up to round trip 3,500 for PoolScope and 7,000 for workerpool, each compile
 * 1–8 ms of a CPU that a 2-core machine's round trips were waiting for; they made W2's p99
 * (bench/README, "eighteenth session"). With 8,000, every contender's timed window held one
 * compile at most.
 */
const WARM_UP = 8_000
/** With `BENCH_W2_MARKS=1`, markers on stdout every 250 round trips, to read beside V8's trace. */
const MARKS = process.env.BENCH_W2_MARKS === '1'
const GROUP = '2,000 sequential tasks'

/**
 * The untimed round trips from `BENCH_W2_WARM_UP` (to compare another count): unset or empty gives
 * {@link WARM_UP}; anything but a whole number is refused by name.
 */
export function warmUpCount(text: string | undefined): number {
  if (text === undefined || text === '') return WARM_UP
  const count = /^\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(count)) throw new Error(`BENCH_W2_WARM_UP: "${text}" is not a whole number of round trips`)
  return count
}

const p50: Metric = { key: 'p50', label: 'p50', better: 'lower', format: formats.micros }
const p99: Metric = { key: 'p99', label: 'p99', better: 'lower', format: formats.micros }

function percentiles(latenciesMs: readonly number[]): Record<string, number> {
  return { p50: quantile(latenciesMs, 0.5) * 1000, p99: quantile(latenciesMs, 0.99) * 1000 }
}

async function sequential(warmUp: number, call: (x: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) {
    if (MARKS && i % 250 === 0) process.stdout.write(`--- warm-up ${i}\n`)
    await call(i)
  }
  const latenciesMs: number[] = new Array(TASKS)
  if (MARKS) process.stdout.write('--- timed starts\n')
  for (let i = 0; i < TASKS; i++) {
    const started = performance.now()
    await call(i)
    latenciesMs[i] = performance.now() - started
  }
  if (MARKS) process.stdout.write('--- timed ends\n')
  return latenciesMs
}

function pooled(kind: PoolKind, runs: number, workers: number, warmUp: number): Contender {
  return {
    id: kind.id,
    label: kind.label,
    group: GROUP,
    runs,
    async run() {
      await kind.load()
      const pool = kind.open(workers)
      try {
        await warm(pool, workers)
        return percentiles(await sequential(warmUp, (x) => pool.call('identity', x)))
      } finally {
        await pool.close()
      }
    }
  }
}

export const w2Latency: Workload = {
  id: 'w2',
  title: 'latency: 2,000 sequential single tasks, warm pool of 2',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    const warmUp = warmUpCount(process.env.BENCH_W2_WARM_UP)
    const contenders: Contender[] = [
      ...[...allKinds, poolScopeProcessAdvanced].map((kind) => pooled(kind, runs, workers, warmUp)),
      {
        id: 'python',
        label: 'Python Pool.apply (process)',
        group: GROUP,
        runs,
        async run() {
          const done = await runPython(['w2', '--n', String(TASKS)])
          return percentiles(done.latenciesMs as number[])
        }
      },
      {
        id: 'raw-fork',
        label: 'plain fork ping-pong (floor)',
        group: GROUP,
        runs,
        async run() {
          const pool = new RawForkPool(1)
          try {
            return percentiles(await sequential(warmUp, (x) => pool.ping(x)))
          } finally {
            await pool.close()
          }
        }
      }
    ]
    const samples = await runInterleaved(contenders, context.log, { untimedRoundFirst: true })
    const section: Section = {
      id: 'w2',
      title: this.title,
      notes: [
        `each task is awaited before the next; ${warmUp.toLocaleString('en-US')} untimed round trips first, and one untimed run of every contender before the timed ones; Python times with perf_counter inside its own process`,
        'p50/p99 are per run; the table gives their median, min and max over runs'
      ],
      rows: rowsFrom(contenders, samples, [p50, p99], new Set(['poolscope-process'])),
      targets: []
    }
    section.targets.push(...w2Targets(section))
    return section
  }
}

/**
 * Rows whose p50 spread the spread target shows beside PoolScope's, measured in the same runs: the
 * host's own noise, for the reader. The plain fork ping-pong has no pool at all, so its spread is
 * the host's alone.
 */
const NOISE_WITNESSES: readonly { id: string; name: string }[] = [
  { id: 'workerpool', name: 'workerpool' },
  { id: 'piscina', name: 'piscina' },
  { id: 'raw-fork', name: 'the plain fork floor' }
]

/**
 * W2's targets from its measured section: p50 no worse than the best process-mode peer, p99 no
 * worse than workerpool's (issue 15 words the tail against workerpool), and the spread of
 * PoolScope's p50 between runs under 30 %, shown beside the spreads of {@link NOISE_WITNESSES}.
 */
export function w2Targets(section: Section): TargetResult[] {
  // Among the peers measured: one that could not run (no python3) is left out, not a NaN that
  // would make the whole comparison n/a.
  const [best] = ['workerpool', 'tinypool', 'python']
    .map((id) => ({ id, p50: medianOf(section, id, 'p50') }))
    .filter((peer) => Number.isFinite(peer.p50))
    .sort((a, b) => a.p50 - b.p50)
  const spreadOf = (id: string) => {
    const row = findRow(section, id, 'p50')
    return row ? summaryOf(row).spread : Number.NaN
  }
  const spread = spreadOf('poolscope-process')
  const witnesses = NOISE_WITNESSES.flatMap(({ id, name }) => {
    const theirs = spreadOf(id)
    return Number.isFinite(theirs) ? [`${name} ${(theirs * 100).toFixed(0)} %`] : []
  })
  return [
    noWorse('p50 latency no worse than the best process-mode peer', medianOf(section, 'poolscope-process', 'p50'), best?.id ?? 'a process peer', best?.p50 ?? Number.NaN),
    noWorse('p99 latency no worse than workerpool (process)', medianOf(section, 'poolscope-process', 'p99'), 'workerpool', medianOf(section, 'workerpool', 'p99')),
    {
      workload: 'w2',
      target: 'p50 spread between runs under 30 %',
      measured: `${(spread * 100).toFixed(0)} % (PoolScope process${witnesses.length > 0 ? `; in the same runs ${witnesses.join(', ')}` : ''})`,
      isMet: Number.isFinite(spread) ? spread < 0.3 : undefined
    }
  ]
}

/** A latency target: PoolScope's median at or under a peer's (n/a where either could not be measured). */
function noWorse(target: string, ours: number, peer: string, theirs: number): TargetResult {
  return {
    workload: 'w2',
    target,
    measured: `PoolScope ${formats.micros(ours)} vs ${peer} ${formats.micros(theirs)}`,
    isMet: Number.isFinite(ours) && Number.isFinite(theirs) ? ours <= theirs : undefined
  }
}
