import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { BenchProgress, BenchReport, BenchSummary, EventPayloads } from '../../../shared/contract'

/** Reports kept in memory for the chart and the side-by-side comparison. */
export const REPORT_CACHE_SIZE = 8

/**
 * Benchmarks: the one in progress, the latest outcome, saved history, and which two reports are
 * being compared.
 */
export const useBenchStore = defineStore('bench', () => {
  const activeBenchId = ref<string>()
  const progress = shallowRef<BenchProgress>()
  const startedAt = ref<number>()
  /** The report on show: the latest finished, or one picked from history. */
  const currentId = ref<string>()
  const lastError = ref<string>()
  const history = shallowRef<BenchSummary[]>([])
  const reports = shallowRef<ReadonlyMap<string, BenchReport>>(new Map())
  /** Ids chosen for comparison, oldest choice first; at most two. */
  const compareIds = ref<string[]>([])
  /** The last benchmark that ended, so a reply arriving after its own end does not revive it. */
  let lastFinishedId: string | undefined

  const isRunning = computed(() => activeBenchId.value !== undefined)
  const current = computed(() => (currentId.value ? reports.value.get(currentId.value) : undefined))

  function begin(benchId: string, nowMs = Date.now()): void {
    if (benchId === lastFinishedId) return
    activeBenchId.value = benchId
    startedAt.value = nowMs
    lastError.value = undefined
    // Progress for this id may have arrived before the reply: keep it.
    if (progress.value?.benchId !== benchId) progress.value = undefined
  }

  function ingestProgress(event: BenchProgress): void {
    // Events can overtake the `bench:start` reply: accept them while nothing else is running.
    if (activeBenchId.value !== undefined && event.benchId !== activeBenchId.value) return
    progress.value = event
  }

  function ingestFinished(event: EventPayloads['bench:finished']): boolean {
    if (activeBenchId.value !== undefined && event.benchId !== activeBenchId.value) return false
    lastFinishedId = event.benchId
    activeBenchId.value = undefined
    progress.value = undefined
    if (event.report) {
      remember(event.report)
      currentId.value = event.report.id
      lastError.value = undefined
    } else {
      lastError.value = event.error ?? 'The benchmark ended without a report'
    }
    return true
  }

  /** Caches a report, evicting the oldest beyond {@link REPORT_CACHE_SIZE} (never one on show). */
  function remember(report: BenchReport): void {
    const next = new Map(reports.value)
    next.delete(report.id)
    next.set(report.id, report)
    for (const id of next.keys()) {
      if (next.size <= REPORT_CACHE_SIZE) break
      if (id !== currentId.value && !compareIds.value.includes(id)) next.delete(id)
    }
    reports.value = next
  }

  function setHistory(list: BenchSummary[]): void {
    history.value = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  /** Adds or removes an id from the comparison; choosing a third drops the oldest choice. */
  function toggleCompare(id: string): void {
    const ids = compareIds.value
    compareIds.value = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].slice(-2)
  }

  function show(id: string): void {
    currentId.value = id
  }

  function cancelled(): void {
    activeBenchId.value = undefined
    progress.value = undefined
  }

  return {
    activeBenchId,
    progress,
    startedAt,
    currentId,
    current,
    lastError,
    history,
    reports,
    compareIds,
    isRunning,
    begin,
    ingestProgress,
    ingestFinished,
    remember,
    setHistory,
    toggleCompare,
    show,
    cancelled
  }
})
