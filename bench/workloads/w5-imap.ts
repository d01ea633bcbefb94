/**
 * W5: a million inputs from a generator through a lazy ordered imap on 2 workers, results consumed
 * one by one. Each run is a fresh process tree; once its pool is warm the parent reads the tree's
 * RSS (baseline), then samples it every 50 ms from outside while the million go through.
 */
import { Pool } from '../../main/pool'
import { emit, pause, runNodeChild, runPython, type ChildEvent, type PauseHandler } from '../child-process'
import { fixtures } from '../paths'
import { RssSampler, treeRssBytes } from '../proc'
import { formats, medianOf, rowsFrom, type Metric, type Section } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { assertEqual, type BenchContext, type Workload } from './workload'

const INPUTS = 1_000_000
const SAMPLE_EVERY_MS = 50
/** Python's imap defaults to chunksize=1 (~14 s for a million here); 1,000 is what a user would pass. */
const PY_CHUNKSIZE = 1000
const GROUP = '1,000,000 inputs, ordered imap, 2 workers'

const rate: Metric = { key: 'rate', label: 'inputs/s', better: 'higher', format: formats.rate }
const growth: Metric = { key: 'growthMB', label: 'peak RSS − baseline', better: 'lower', format: formats.megabytes }
const baseline: Metric = { key: 'baselineMB', label: 'baseline RSS', better: 'lower', format: formats.megabytes }

function* numbers(count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield i
}

/** Child side (`--child w5 <backend> <workers> [signal]`). */
export async function w5Child(backend: 'process' | 'thread', workers: number, withSignal = false): Promise<void> {
  const identity = { module: fixtures.work, export: 'identity' }
  const pool = new Pool({ workers, backend, name: 'bench' })
  await pool.ready()
  for await (const value of pool.imap(identity, numbers(1000))) void value
  await pause({ event: 'ready' })
  const started = performance.now()
  let count = 0
  let total = 0
  // As runs from the CLI and the app do: one signal, never aborted, for the whole imap.
  const signal = withSignal ? new AbortController().signal : undefined
  for await (const value of pool.imap<number>(identity, numbers(INPUTS), { signal })) {
    count++
    total += value
  }
  const seconds = (performance.now() - started) / 1000
  assertEqual(count, INPUTS, 'result count')
  assertEqual(total, (INPUTS * (INPUTS - 1)) / 2, 'sum of results')
  await pool.terminate()
  emit({ event: 'done', seconds, rate: INPUTS / seconds })
}

async function measured(start: (onPause: PauseHandler) => Promise<ChildEvent>): Promise<Record<string, number>> {
  let baselineBytes = Number.NaN
  let sampler: RssSampler | undefined
  const done = await start((_event, pid) => {
    baselineBytes = treeRssBytes(pid)
    sampler = new RssSampler(pid, SAMPLE_EVERY_MS)
  })
  const { peakBytes } = sampler!.stop()
  const mb = (bytes: number) => bytes / 1024 / 1024
  return { rate: done.rate as number, growthMB: mb(peakBytes - baselineBytes), baselineMB: mb(baselineBytes) }
}

export const w5Imap: Workload = {
  id: 'w5',
  title: 'a million inputs through lazy imap: throughput and the tree’s peak RSS',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    const backends = ['process', 'thread'] as const
    const contenders: Contender[] = [
      ...backends.map(
        (backend): Contender => ({
          id: `poolscope-${backend}`,
          label: `PoolScope (${backend}) imap, adaptive chunks`,
          group: GROUP,
          runs,
          run: () => measured((onPause) => runNodeChild(['w5', backend, String(workers)], onPause))
        })
      ),
      {
        id: 'poolscope-process-signal',
        label: 'PoolScope (process) imap, adaptive chunks, with an AbortSignal',
        group: GROUP,
        runs,
        run: () => measured((onPause) => runNodeChild(['w5', 'process', String(workers), 'signal'], onPause))
      },
      {
        id: 'python',
        label: `Python Pool.imap(chunksize=${PY_CHUNKSIZE})`,
        group: GROUP,
        runs,
        run: () =>
          measured((onPause) =>
            runPython(['w5', '--n', String(INPUTS), '--chunksize', String(PY_CHUNKSIZE), '--workers', String(workers)], onPause)
          )
      }
    ]
    const samples = await runInterleaved(contenders, context.log)
    const section: Section = {
      id: 'w5',
      title: this.title,
      notes: [
        `baseline = tree RSS with the pool warm, just before the million; peak sampled every ${SAMPLE_EVERY_MS} ms from the parent (Linux /proc)`,
        `Python's imap reads its whole input iterable ahead in a feeder thread, so its memory is not bounded by design; chunksize=${PY_CHUNKSIZE}, as the default of 1 takes ~14 s per run`,
        'piscina, workerpool and tinypool have no imap, so they are not in this workload'
      ],
      rows: rowsFrom(contenders, samples, [rate, growth, baseline], new Set(['poolscope-process'])),
      targets: []
    }
    const ours = medianOf(section, 'poolscope-process', 'growthMB')
    const worst = Math.max(...section.rows.filter((r) => r.contenderId === 'poolscope-process' && r.metric.key === 'growthMB').flatMap((r) => r.values))
    section.targets.push({
      workload: 'w5',
      target: 'peak RSS growth under 100 MB for a million inputs (every run)',
      measured: `${formats.megabytes(ours)} (worst run ${formats.megabytes(worst)}), PoolScope process`,
      isMet: Number.isFinite(worst) ? worst < 100 : undefined
    })
    return section
  }
}
