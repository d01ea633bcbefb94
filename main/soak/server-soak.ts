/**
 * The long-run leak check of browser mode: the real server (`startBrowserMode` with the real app)
 * in this process, driven through its WebSocket API by the same transport the browser
 * dashboard uses, one catalog run every `everyMs` for `seconds`. Memory and live handles are sampled
 * once a second; a bounded server reaches its peak early and ends near where it started.
 *
 * The client lives in the same process as the server (as the issue asks for the server's own
 * figures, and an in-process server is the only one whose heap can be read), so its few sockets
 * and timers are part of the figures; they are constant, not growing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import WebSocket from 'ws'
import type { RunFinished } from '../../shared/contract'
import { createApi } from '../../shared/api'
import { apiSocketUrl, createWsTransport, type SocketLike } from '../../shared/ws-transport'
import { createApp } from '../app'
import { startBrowserMode } from '../server/browser-mode'
import { findOrphans, killOrphans } from './orphan-check'
import { ResourceSampler, toMb, type FigureRange, type ResourceRanges } from './resource-sampler'

export const SERVER_SOAK_DEFAULTS = { seconds: 60, everyMs: 1_000 } as const

export interface ServerSoakOptions {
  seconds: number
  everyMs: number
  /** The built renderer the server serves; default `out/renderer` next to this bundle. */
  rendererDir?: string
  workerScript?: string
  /** Told after every minute of the run. */
  onProgress?: (line: string) => void
}

export interface ServerSoakReport {
  seconds: number
  runs: number
  runsFailed: number
  /** Runs that took longer than `everyMs` (the next one then started late, not overlapping). */
  runsLate: number
  rssMb: FigureRange
  heapUsedMb: FigureRange
  handles: FigureRange
  /** Heap after a full GC at the start (after the first run) and at the end; null without --expose-gc. */
  heapAfterGcMb: { start: number; end: number } | null
  /** Runs the server still lists at the end (it keeps a bounded number of finished ones). */
  runsListed: number
  orphans: number
  failures: string[]
}

/** A catalog run small enough to fit in a second on a busy machine: 20 squares, no wait. */
const RUN_ARGS = { taskId: 'square', params: { count: 20, delayMs: 0 }, workers: 2 } as const
const SAMPLE_EVERY_MS = 1_000
const PROGRESS_EVERY_MS = 60_000
const MAX_FAILURES_KEPT = 10

export async function runServerSoak(options: ServerSoakOptions): Promise<ServerSoakReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'poolscope-soak-'))
  const session = await startBrowserMode(
    { host: '127.0.0.1', port: 0, allowLaunch: false, rendererDir: options.rendererDir ?? resolve(__dirname, '../renderer') },
    {
      createApp: (app) => createApp({ ...app, dataDir, workerScript: options.workerScript }),
      stdout: { write: () => true },
      stderr: process.stderr
    }
  )
  const page = new URL(session.url)
  const transport = createWsTransport({
    url: apiSocketUrl({ protocol: page.protocol, host: page.host, search: page.search }),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike
  })
  const api = createApi(transport)
  const finished = new Map<string, (event: RunFinished) => void>()
  const early = new Map<string, RunFinished>()
  api.on('run:finished', (event) => {
    const resolveRun = finished.get(event.runId)
    if (resolveRun) resolveRun(event)
    else early.set(event.runId, event)
  })
  const runOnce = async (backend: 'process' | 'thread'): Promise<RunFinished> => {
    const { runId } = await api.run.start({ ...RUN_ARGS, backend })
    const already = early.get(runId)
    if (already) {
      early.delete(runId)
      return already
    }
    return new Promise((resolveRun) => finished.set(runId, resolveRun))
  }

  const gc = (globalThis as { gc?: () => void }).gc
  const report: Omit<ServerSoakReport, 'rssMb' | 'heapUsedMb' | 'handles' | 'heapAfterGcMb' | 'runsListed' | 'orphans' | 'seconds'> = {
    runs: 0,
    runsFailed: 0,
    runsLate: 0,
    failures: []
  }
  const sampler = new ResourceSampler(SAMPLE_EVERY_MS)
  let heapAtStart: number | undefined
  let heapAtEnd: number | undefined
  let runsListed = 0
  let ranges: ResourceRanges | undefined
  const startedAt = Date.now()
  let lastProgressAt = startedAt
  try {
    for (let tick = 0; Date.now() - startedAt < options.seconds * 1000; tick++) {
      const runStartedAt = Date.now()
      const result = await runOnce(tick % 2 === 0 ? 'process' : 'thread').catch((error: unknown) => error)
      report.runs++
      const failure = describeFailure(result)
      if (failure !== undefined) {
        report.runsFailed++
        if (report.failures.length < MAX_FAILURES_KEPT) report.failures.push(`run ${report.runs}: ${failure}`)
      }
      if (tick === 0) {
        // The first run loads the catalog, the worker code paths and the sockets: measure from after it.
        gc?.()
        heapAtStart = process.memoryUsage().heapUsed
        sampler.start()
      }
      if (options.onProgress && Date.now() - lastProgressAt >= PROGRESS_EVERY_MS) {
        lastProgressAt = Date.now()
        const m = process.memoryUsage()
        options.onProgress(
          `${Math.round((lastProgressAt - startedAt) / 1000)} s: ${report.runs} runs, rss ${toMb(m.rss)} MB, heap ${toMb(m.heapUsed)} MB, ` +
            `${process.getActiveResourcesInfo().length} handles`
        )
      }
      const spentMs = Date.now() - runStartedAt
      if (spentMs > options.everyMs) report.runsLate++
      else await sleep(options.everyMs - spentMs)
    }
    // The end figures are the running server's, taken before it closes.
    runsListed = (await api.run.list()).length
    gc?.()
    heapAtEnd = process.memoryUsage().heapUsed
    ranges = sampler.samples > 0 ? sampler.stop() : undefined
  } finally {
    transport.close()
    await session.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  const orphans = await findOrphans([])
  killOrphans(orphans)
  const mb = (range: FigureRange | undefined): FigureRange =>
    range ? { start: toMb(range.start), peak: toMb(range.peak), end: toMb(range.end) } : { start: 0, peak: 0, end: 0 }
  return {
    seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    ...report,
    rssMb: mb(ranges?.rssBytes),
    heapUsedMb: mb(ranges?.heapUsedBytes),
    handles: ranges?.handles ?? { start: 0, peak: 0, end: 0 },
    heapAfterGcMb: gc && heapAtStart !== undefined && heapAtEnd !== undefined ? { start: toMb(heapAtStart), end: toMb(heapAtEnd) } : null,
    runsListed,
    orphans: orphans.length
  }
}

/** Why a run did not succeed, or undefined when it did. */
function describeFailure(result: RunFinished | unknown): string | undefined {
  if (result instanceof Error) return `request failed: ${result.message}`
  const run = result as RunFinished
  if (run.ok && run.state === 'succeeded') return undefined
  return `${run.state}: ${run.error ?? run.check?.summary ?? 'not ok'}`
}
