import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { PrimitiveGauge, RunCounters, RunFinished, RunState, RunUpdate, UnitSpanDto, WorkerRow } from '../../../shared/contract'
import { DecimatingSeries } from '../lib/decimating-series'
import { RingBuffer } from '../../../shared/ring-buffer'

/** Points per queue series for a whole run, however long (see {@link DecimatingSeries}). */
export const QUEUE_CAPACITY = 600

/**
 * Unit spans kept for the stream of units. Tiny units can finish thousands a second; the stream
 * shows the newest ones and memory stays flat.
 */
export const SPAN_CAPACITY = 20_000

/** Order of the queue chart's series. */
export const QUEUE_SERIES = ['pending', 'running', 'completed', 'failed'] as const satisfies readonly (keyof RunCounters)[]

const LIVE_STATES: ReadonlySet<RunState> = new Set(['running', 'stopping'])

/**
 * The run the dashboard follows: its counters over time, workers, unit spans, queues and pipes,
 * progress and, once it ends, its result. One run at a time; a new run replaces a finished one.
 */
export const useRunStore = defineStore('run', () => {
  const runId = ref<string>()
  const taskId = ref<string>()
  const state = ref<RunState>()
  /** `at` of the run's first update: the queue chart's zero. */
  const startedAt = ref<number>()
  const lastUpdateAt = ref<number>()
  const counters = shallowRef<RunCounters>()
  const progress = shallowRef<RunUpdate['progress']>()
  const workers = shallowRef<WorkerRow[]>([])
  /** The task's queues, pipes and other primitives as of the last update. */
  const primitives = shallowRef<PrimitiveGauge[]>([])
  const finished = shallowRef<RunFinished>()
  const queue = markRaw(new DecimatingSeries(QUEUE_SERIES.length, QUEUE_CAPACITY))
  const spans = markRaw(new RingBuffer<UnitSpanDto>(SPAN_CAPACITY))
  /** Ticks on every accepted update: charts watch it instead of the raw series. */
  const version = ref(0)

  const isLive = computed(() => state.value !== undefined && LIVE_STATES.has(state.value))

  function reset(nextRunId: string | undefined, nextTaskId: string | undefined): void {
    runId.value = nextRunId
    taskId.value = nextTaskId
    state.value = nextRunId ? 'running' : undefined
    startedAt.value = undefined
    lastUpdateAt.value = undefined
    counters.value = undefined
    progress.value = undefined
    workers.value = []
    primitives.value = []
    finished.value = undefined
    queue.clear()
    spans.clear()
    version.value++
  }

  /**
   * Follows a run the user just started. Its first updates may already have arrived (events can
   * overtake the `run:start` reply), in which case nothing is reset.
   */
  function begin(nextRunId: string, nextTaskId: string): void {
    if (runId.value === nextRunId) return
    reset(nextRunId, nextTaskId)
  }

  /** Whether an event about `id` belongs to the followed run, adopting it if nothing live is followed. */
  function follows(id: string): boolean {
    if (runId.value === id) return true
    if (isLive.value) return false
    reset(id, undefined)
    return true
  }

  function ingestUpdate(update: RunUpdate): boolean {
    if (!follows(update.runId)) return false
    taskId.value = update.taskId
    if (!finished.value) state.value = update.state
    startedAt.value ??= update.at
    lastUpdateAt.value = update.at
    counters.value = update.counters
    progress.value = update.progress
    workers.value = update.workers
    primitives.value = update.primitives
    const c = update.counters
    queue.append((update.at - startedAt.value) / 1000, QUEUE_SERIES.map((key) => c[key]))
    for (const span of update.spans) spans.push(span)
    version.value++
    return true
  }

  /** A run so short that it ends before its first update (or the start reply) is still followed. */
  function ingestFinished(event: RunFinished): boolean {
    if (!follows(event.runId)) return false
    taskId.value = event.taskId
    finished.value = event
    state.value = event.state
    version.value++
    return true
  }

  return {
    runId,
    taskId,
    state,
    startedAt,
    lastUpdateAt,
    counters,
    progress,
    workers,
    primitives,
    finished,
    queue,
    spans,
    version,
    isLive,
    begin,
    reset,
    ingestUpdate,
    ingestFinished
  }
})
