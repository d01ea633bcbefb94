import { ref } from 'vue'
import type { PoolScopeApi } from '../../../shared/api'
import type { ClusterFailedJob } from '../../../shared/contract'
import { useToastStore } from '../stores/use-toast-store'

/** A failed job's key: unique over the cluster (job ids repeat across runs). */
export function failedJobKey(job: Pick<ClusterFailedJob, 'runId' | 'jobId'>): string {
  return `${job.runId}/${job.jobId}`
}

/**
 * Retries a failed cluster job (`cluster:retry`). It leaves the failed list with the next
 * `cluster:state` when a host takes it, and comes back there if it fails again.
 */
export function useClusterRetry({ api }: { api: PoolScopeApi }) {
  const toasts = useToastStore()
  /** Jobs with a retry request in flight, by {@link failedJobKey}. */
  const pending = ref<ReadonlySet<string>>(new Set())

  async function retry(job: ClusterFailedJob): Promise<void> {
    const key = failedJobKey(job)
    if (pending.value.has(key)) return
    pending.value = new Set([...pending.value, key])
    try {
      const answer = await api.cluster.retry({ runId: job.runId, jobId: job.jobId })
      if (answer.retried) toasts.info(`Retrying job ${job.jobId}`, `It is back in run ${job.runId}'s queue.`)
      else toasts.info(`Job ${job.jobId} was not retried`, 'It is no longer failed, or its run has ended.')
    } catch (error) {
      toasts.error(`Retrying job ${job.jobId}`, error)
    } finally {
      const next = new Set(pending.value)
      next.delete(key)
      pending.value = next
    }
  }

  return { pending, retry }
}
