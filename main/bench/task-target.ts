/**
 * Benchmarks a catalog task: the baseline runs the task's pool work in this process, one call
 * after another (`InlinePool`); each worker count runs it on a fresh pool. Both report the time of
 * the work alone (`stats.wallMs`), so pool start-up, reported apart by `poolscope run`, does not
 * tilt the speedup. A run whose check fails is an error, never a time.
 */
import type { BackendName } from '../../preload/contract'
import { runTask, validateTaskParams } from '../runs/task-runner'
import type { BenchTarget } from './bench-target'

export function createTaskTarget(options: {
  taskId: string
  params: Record<string, unknown>
  backend: BackendName
  workerScript?: string
}): BenchTarget {
  const params = validateTaskParams(options.taskId, options.params)
  const once = async (workers: number, inline: boolean, signal: AbortSignal): Promise<number> => {
    const result = await runTask({
      taskId: options.taskId,
      params,
      workers,
      backend: options.backend,
      inline,
      signal,
      workerScript: options.workerScript
    })
    if (!result.ok) {
      const why = result.error ?? result.check?.summary ?? result.state
      throw new Error(`${options.taskId} ${inline ? 'baseline' : `on ${workers} workers`} failed: ${why}`)
    }
    return result.stats.wallMs
  }
  return {
    describe: { task: options.taskId, params, backend: options.backend },
    baseline: (signal) => once(1, true, signal),
    run: (workers, signal) => once(workers, false, signal)
  }
}
