import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { MonitorSample, ProcessStat } from '../../../shared/contract'
import { RingBuffer } from '../../../shared/ring-buffer'

/** How much CPU history the core chart shows. */
export const MONITOR_WINDOW_MS = 60_000

/**
 * Samples kept: the window at the fastest rate `monitor:configure` accepts (10 Hz), plus slack for
 * jitter. The ring bounds memory whatever the rate.
 */
export const MONITOR_CAPACITY = 720

/**
 * Machine-wide CPU and memory samples, and the latest per-process figures. Samples live in a ring
 * that Vue does not observe (128 cores × 600 samples would be a lot of proxies); `version` ticks on
 * every accepted sample, which is what charts watch.
 */
export const useMonitorStore = defineStore('monitor', () => {
  const samples = markRaw(new RingBuffer<MonitorSample>(MONITOR_CAPACITY))
  const latest = shallowRef<MonitorSample>()
  /** Client clock at the last accepted sample, for "no data for N s". */
  const receivedAt = ref<number>()
  const version = ref(0)
  const processes = shallowRef<ReadonlyMap<number, ProcessStat>>(new Map())
  const rateHz = ref<number>()

  /** Adds a sample; ignores one not newer than the last (history and live events overlap). */
  function ingest(sample: MonitorSample, nowMs = Date.now()): boolean {
    const last = samples.last()
    if (last && sample.t <= last.t) return false
    samples.push(sample)
    latest.value = sample
    receivedAt.value = nowMs
    version.value++
    return true
  }

  /** Seeds from `monitor:history`, which may arrive after the first live samples. */
  function seed(history: readonly MonitorSample[], nowMs = Date.now()): void {
    const merged = [...samples, ...history].sort((a, b) => a.t - b.t)
    samples.clear()
    let lastT = Number.NEGATIVE_INFINITY
    for (const sample of merged) {
      if (sample.t <= lastT) continue
      samples.push(sample)
      lastT = sample.t
    }
    const newest = samples.last()
    if (newest) {
      latest.value = newest
      receivedAt.value ??= nowMs
    }
    version.value++
  }

  function ingestProcesses(event: { t: number; processes: ProcessStat[] }): void {
    processes.value = new Map(event.processes.map((stat) => [stat.pid, stat]))
  }

  return { samples, latest, receivedAt, version, processes, rateHz, ingest, seed, ingestProcesses }
})
