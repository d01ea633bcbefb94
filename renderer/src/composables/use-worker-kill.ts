import { ref } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import type { WorkerRow } from '../../../shared/contract'
import { useRunStore } from '../stores/use-run-store'
import { useToastStore } from '../stores/use-toast-store'

/**
 * Fault injection: kills one worker of the followed run. The pool replaces it, which shows as the
 * worker's restart count going up in the next update.
 */
export function useWorkerKill({ api }: { api: PoolScopeApi }) {
  const run = useRunStore()
  const toasts = useToastStore()
  /** Worker ids with a kill request in flight. */
  const pending = ref<ReadonlySet<number>>(new Set())

  function canKill(worker: WorkerRow): boolean {
    return run.isLive && worker.pid !== undefined && worker.state !== 'exited' && worker.state !== 'stopping' && !pending.value.has(worker.id)
  }

  async function kill(worker: WorkerRow): Promise<void> {
    const runId = run.runId
    if (!runId || !canKill(worker)) return
    pending.value = new Set([...pending.value, worker.id])
    try {
      const answer = await api.worker.kill({ runId, workerId: worker.id })
      if (answer.killed) toasts.info(`Killed ${worker.name}`, `pid ${answer.pid ?? worker.pid}; the pool starts a replacement.`)
      else toasts.info(`${worker.name} was not killed`, 'It had already exited.')
    } catch (error) {
      toasts.error(`Killing ${worker.name}`, error)
    } finally {
      const next = new Set(pending.value)
      next.delete(worker.id)
      pending.value = next
    }
  }

  return { pending, canKill, kill }
}
