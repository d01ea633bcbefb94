/**
 * Benchmarks a catalog task: the baseline runs the task's pool work in this process, one call
 * after another (`InlinePool`); each worker count runs it on one pool per series, started before
 * the series' warm-up runs and kept warm across its timed runs — as a Python user times
 * `pool.map` inside `with Pool()`. Both report the time of the work alone (`stats.wallMs`), so pool
 * start-up, reported apart by `poolscope run`, does not tilt the speedup. A run whose check fails
 * is an error, never a time. Tasks whose pools need options of their own (an initializer, a
 * different size) still start a fresh pool per run. `createPool` makes the pools (the cluster's, for
 * `bench --redis`); the baseline stays in this process either way.
 */
import type { BackendName } from '../../../shared/contract'
import { Pool } from '../../pool/pool'
import type { PoolOptions } from '../../pool/types'
import type { TaskInput } from '../../runs/task-input'
import { runTask } from '../../runs/task-runner'
import type { BenchTarget } from './bench-target'

/**
 * A target for a parsed task (`parseTaskInput`) on `backend`, or on the cluster whose pools
 * `createPool` makes (`bench --redis`): the report then names backend `redis`.
 */
export function createTaskTarget(
  options: TaskInput & { backend: BackendName; workerScript?: string; createPool?: (options: PoolOptions) => Pool }
): BenchTarget {
  const { task, params } = options
  let warm: Pool | undefined

  /** The series' pool: the same one while the worker count stays, a new one when it changes. */
  const poolFor = async (workers: number): Promise<Pool> => {
    if (warm && warm.size === workers && warm.state === 'running') return warm
    await warm?.terminate()
    warm = (options.createPool ?? ((poolOptions: PoolOptions) => new Pool(poolOptions)))({
      workers,
      backend: options.backend,
      name: task.id,
      ...(options.workerScript ? { workerScript: options.workerScript } : {})
    })
    return warm
  }

  const once = async (workers: number, inline: boolean, signal: AbortSignal): Promise<number> => {
    const result = await runTask({
      task,
      params,
      workers,
      backend: options.backend,
      inline,
      signal,
      workerScript: options.workerScript,
      createPool: options.createPool,
      pool: inline ? undefined : await poolFor(workers)
    })
    if (!result.ok) {
      const why = result.error ?? result.check?.summary ?? result.state
      // runBench names the run ("2 workers' timed run 1 of 3 failed: …").
      throw new Error(`task ${task.id}: ${why}`)
    }
    return result.stats.wallMs
  }
  return {
    describe: { task: task.id, params, backend: options.createPool ? 'redis' : options.backend },
    baseline: (signal) => once(1, true, signal),
    run: (workers, signal) => once(workers, false, signal),
    async close() {
      await warm?.terminate()
      warm = undefined
    }
  }
}
