/**
 * W9, the user's own path: every run from the CLI, the app and the speedup lab passes an
 * `AbortSignal`, which the other workloads never do. Tiny tasks at 10,000, 100,000 and 1,000,000
 * inputs, with a signal: one promise per task and a chunked map straight on the engine, and the
 * `square` task through `runTask` exactly as `poolscope run square --set delayMs=0` runs it (its
 * own pool, started inside the timing, as the CLI reports `tasksPerSec`). Tasks/s must stay flat
 * as the inputs grow: a cost per unit that grows with the units already waiting (one 'abort'
 * listener per unit on one signal did) shows here as a falling rate.
 */
import { Pool } from '../../main/pool'
import { autoChunksize } from '../../main/pool/options'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { fixtures } from '../paths'
import { formats, medianOf, rowsFrom, type Metric, type Section, type TargetResult } from '../report'
import { runInterleaved, type Contender } from '../runner'
import { assertEqual, slowRuns, type BenchContext, type Workload } from './workload'

const SIZES = [10_000, 100_000, 1_000_000] as const
const SQUARE = 'square:square'
const IDENTITY = { module: fixtures.work, export: 'identity' }

const rate: Metric = { key: 'rate', label: 'tasks/s', better: 'higher', format: formats.rate }

const sizeLabel = (n: number) => n.toLocaleString('en-US')
const groupOf = (n: number) => `${sizeLabel(n)} inputs, an AbortSignal passed, 2 workers`

/** On a warm pool, with one signal: one promise per task (`apply`), or one chunked `map`. */
function engine(n: number, chunked: boolean, runs: number, workers: number): Contender {
  const inputs = Array.from({ length: n }, (_, i) => i)
  return {
    id: `engine-${chunked ? 'map' : 'per-task'}-${n}`,
    label: chunked ? 'engine: map, chunksize auto, with a signal' : `engine: apply × ${sizeLabel(n)}, one signal`,
    group: groupOf(n),
    runs,
    async run() {
      const pool = new Pool({ workers, name: 'bench' })
      try {
        await pool.ready()
        await pool.map(IDENTITY, inputs.slice(0, 1000))
        const { signal } = new AbortController()
        const started = performance.now()
        const results = chunked
          ? await pool.map(IDENTITY, inputs, { signal })
          : await Promise.all(inputs.map((x) => pool.apply(IDENTITY, [x], { signal })))
        const seconds = (performance.now() - started) / 1000
        assertEqual(results.length, n, 'result count')
        assertEqual(results[n - 1], n - 1, 'last result')
        return { rate: n / seconds }
      } finally {
        await pool.terminate()
      }
    }
  }
}

/** `runTask` of `square` (delayMs 0), as the CLI's `run` calls it: tasks/s as the run reports it. */
function throughRunTask(n: number, chunked: boolean, runs: number, workers: number): Contender {
  return {
    id: `run-task-${chunked ? 'chunked' : 'per-task'}-${n}`,
    label: chunked ? `runTask square, --chunksize ${sizeLabel(autoChunksize(n, workers))}` : 'runTask square (as `poolscope run`)',
    group: groupOf(n),
    runs,
    async run() {
      const input = parseTaskInput('square', { count: n, delayMs: 0 })
      const result = await runTask({ ...input, workers, backend: 'process', ...(chunked && { chunksize: autoChunksize(n, workers) }) })
      if (!result.ok) throw new Error(`square ${n}: ${result.error ?? result.check?.summary ?? 'failed'}`)
      assertEqual(result.stats.completed, n, 'inputs completed')
      return { rate: result.stats.tasksPerSec }
    }
  }
}

export const w9Signal: Workload = {
  id: 'w9',
  title: 'the user’s path: tiny tasks with an AbortSignal, and run square through runTask, 10,000 → 1,000,000 inputs',
  async run(context: BenchContext): Promise<Section> {
    const { runs, workers } = context
    const contenders = SIZES.flatMap((n) => {
      const r = n >= 1_000_000 ? slowRuns(runs) : runs
      return [engine(n, false, r, workers), throughRunTask(n, false, r, workers), engine(n, true, r, workers), throughRunTask(n, true, r, workers)]
    })
    const samples = await runInterleaved(contenders, context.log)
    const section: Section = {
      id: 'w9',
      title: this.title,
      notes: [
        'engine rows: a warm pool, timed from the first submission to the last result; runTask rows: `square` with delayMs 0 as `poolscope run square --workers 2` runs it, pool start included, tasksPerSec as the run reports it',
        'every row passes an AbortSignal that is never aborted (the CLI, the app and the speedup lab always pass one)',
        `the 1,000,000 rows get ${slowRuns(runs)} runs, the others ${runs}; W1 is the same work without a signal at 100,000`,
        'the chunked runTask rows pass --chunksize equal to the automatic one (the CLI’s default for square is one input per unit)'
      ],
      rows: rowsFrom(contenders, samples, [rate], new Set(SIZES.map((n) => `engine-per-task-${n}`))),
      targets: []
    }
    const at = (id: string) => medianOf(section, id, 'rate')
    const first = SIZES[0]
    const last = SIZES[SIZES.length - 1]
    section.targets.push(
      target(`engine, one promise per task with a signal: tasks/s at ${sizeLabel(last)} ≥ 0.5× at ${sizeLabel(first)} (flat)`, at(`engine-per-task-${last}`) / at(`engine-per-task-${first}`), 0.5),
      target(`runTask square: tasks/s at ${sizeLabel(last)} ≥ 0.5× at ${sizeLabel(first)} (flat)`, at(`run-task-per-task-${last}`) / at(`run-task-per-task-${first}`), 0.5),
      target('run square count=100,000 delayMs=0 ≥ 0.5× the engine’s per-task figure', at('run-task-per-task-100000') / at('engine-per-task-100000'), 0.5),
      target('chunked run square count=100,000 ≥ 0.5× the engine’s chunked map', at('run-task-chunked-100000') / at('engine-map-100000'), 0.5)
    )
    return section
  }
}

function target(text: string, ratio: number, atLeast: number): TargetResult {
  return {
    workload: 'w9',
    target: text,
    measured: `${ratio.toFixed(2)}×`,
    isMet: Number.isFinite(ratio) ? ratio >= atLeast : undefined
  }
}
