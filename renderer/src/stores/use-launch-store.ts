import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { LaunchDetail, LaunchOutput, LaunchSummary, LaunchUpdate, ProcNode } from '../../../shared/contract'
import { RingBuffer } from '../../../shared/ring-buffer'

/** Log lines kept per launch (stdout and stderr together). */
export const LOG_CAPACITY = 2_000
/** Longer lines are cut: one runaway line must not freeze the log view. */
export const LOG_LINE_MAX_CHARS = 2_000
/** Points in each process's CPU and RSS sparkline. */
export const HISTORY_POINTS = 120
/** Launches remembered; the oldest ones that have exited go first. */
export const MAX_SESSIONS = 12

export interface LogLine {
  /** Increasing per launch: a stable key for the log view. */
  seq: number
  stream: LaunchOutput['stream']
  text: string
}

export interface ProcessHistory {
  cpuPercent: RingBuffer<number>
  rssBytes: RingBuffer<number>
}

export type SignalAction = 'stop' | 'kill' | 'interrupt'

export interface StopRequest {
  action: SignalAction
  scope: 'process' | 'tree'
  pid: number | undefined
  /** Client clock when it was sent: the view counts the grace period from here. */
  at: number
}

/**
 * One launched command. The session object is replaced on every change (so Vue sees it); the
 * history rings and the log inside are shared between versions and never observed, `version` and
 * `logVersion` say when they changed.
 */
export interface LaunchSession {
  launchId: string
  argv: string[]
  pid: number | undefined
  startedAt: number
  tree: ProcNode[]
  exit: LaunchUpdate['exit']
  history: Map<number, ProcessHistory>
  log: RingBuffer<LogLine>
  /** Lines main's bounded logs dropped, both streams together. */
  droppedLines: number
  /** Main reports a running total per stream; kept to add them up without counting twice. */
  droppedByStream: Record<LaunchOutput['stream'], number>
  /** How long a stop waits after SIGTERM before SIGKILL. */
  graceMs: number
  /**
   * When main's pending stop turns into SIGKILL, on this window's clock (main's deadline moved by
   * the difference of the two clocks), or undefined when none is pending.
   */
  stopDeadline: number | undefined
  stopRequest: StopRequest | undefined
  version: number
  logVersion: number
}

function createHistory(): ProcessHistory {
  return { cpuPercent: new RingBuffer(HISTORY_POINTS), rssBytes: new RingBuffer(HISTORY_POINTS) }
}

/** Main's deadline (on main's clock, read at `at`) on the clock of this window, read at `nowMs`. */
function localDeadline(stopDeadlineAt: number | null, at: number, nowMs: number): number | undefined {
  return stopDeadlineAt === null ? undefined : nowMs + (stopDeadlineAt - at)
}

function createSession(summary: LaunchSummary): LaunchSession {
  return {
    launchId: summary.launchId,
    argv: summary.argv,
    pid: summary.pid,
    startedAt: summary.startedAt,
    tree: [],
    exit: summary.exit,
    history: markRaw(new Map()),
    log: markRaw(new RingBuffer<LogLine>(LOG_CAPACITY)),
    droppedLines: 0,
    droppedByStream: { stdout: 0, stderr: 0 },
    graceMs: summary.graceMs,
    stopDeadline: undefined,
    stopRequest: undefined,
    version: 0,
    logVersion: 0
  }
}

/** Processes launched from the Processes view: their trees, per-process history and output. */
export const useLaunchStore = defineStore('launch', () => {
  const sessions = shallowRef<Readonly<Record<string, LaunchSession>>>({})
  const selectedId = ref<string>()
  let nextSeq = 0

  const selected = computed(() => (selectedId.value ? sessions.value[selectedId.value] : undefined))
  const list = computed(() => Object.values(sessions.value).sort((a, b) => b.startedAt - a.startedAt))

  function put(session: LaunchSession): void {
    const next: Record<string, LaunchSession> = { ...sessions.value, [session.launchId]: session }
    const ids = Object.keys(next)
    if (ids.length > MAX_SESSIONS) {
      const evictable = Object.values(next)
        .filter((s) => s.exit !== undefined && s.launchId !== selectedId.value)
        .sort((a, b) => a.startedAt - b.startedAt)
      for (const s of evictable.slice(0, ids.length - MAX_SESSIONS)) delete next[s.launchId]
    }
    sessions.value = next
  }

  /** Records a launch (from `launch:start` or `launch:list`); an existing session keeps its data. */
  function upsert(summary: LaunchSummary): LaunchSession {
    const existing = sessions.value[summary.launchId]
    const session = existing
      ? {
          ...existing,
          argv: summary.argv,
          pid: summary.pid ?? existing.pid,
          exit: existing.exit ?? summary.exit,
          graceMs: summary.graceMs,
          version: existing.version + 1
        }
      : createSession(summary)
    put(session)
    return session
  }

  function ensure(launchId: string, nowMs: number, graceMs = 0): LaunchSession {
    return sessions.value[launchId] ?? createSession({ launchId, argv: [], pid: undefined, startedAt: nowMs, exit: undefined, graceMs })
  }

  function pushLines(log: RingBuffer<LogLine>, stream: LaunchOutput['stream'], lines: readonly string[]): void {
    for (const line of lines) {
      const text = line.length > LOG_LINE_MAX_CHARS ? `${line.slice(0, LOG_LINE_MAX_CHARS)}… (${line.length} characters)` : line
      log.push({ seq: nextSeq++, stream, text })
    }
  }

  /** A scan of the tree: one more history point per process; `nowMs` is this window's clock. */
  function ingestUpdate(update: LaunchUpdate, nowMs = Date.now()): void {
    const session = ensure(update.launchId, update.at, update.graceMs)
    const live = new Set(update.tree.map((node) => node.pid))
    for (const pid of session.history.keys()) if (!live.has(pid)) session.history.delete(pid)
    for (const node of update.tree) {
      let history = session.history.get(node.pid)
      if (!history) {
        history = createHistory()
        session.history.set(node.pid, history)
      }
      history.cpuPercent.push(node.cpuPercent)
      history.rssBytes.push(node.rssBytes)
    }
    put({
      ...session,
      tree: update.tree,
      exit: update.exit ?? session.exit,
      graceMs: update.graceMs,
      stopDeadline: localDeadline(update.stopDeadlineAt, update.at, nowMs),
      version: session.version + 1
    })
  }

  function ingestOutput(output: LaunchOutput, nowMs = Date.now()): void {
    const session = ensure(output.launchId, nowMs)
    pushLines(session.log, output.stream, output.lines)
    const droppedByStream = { ...session.droppedByStream, [output.stream]: Math.max(session.droppedByStream[output.stream], output.droppedLines) }
    put({ ...session, droppedByStream, droppedLines: droppedByStream.stdout + droppedByStream.stderr, logVersion: session.logVersion + 1 })
  }

  /**
   * Replaces what is known of a launch with main's full account of it (`launch:get`), for a window
   * that opened or reloaded while it ran; later events continue from there. A stop this window
   * asked for is kept.
   */
  function restore(detail: LaunchDetail, nowMs = Date.now()): void {
    const existing = sessions.value[detail.launchId]
    const session = createSession(detail)
    for (const { pid, points } of detail.history) {
      const history = createHistory()
      for (const point of points.slice(-HISTORY_POINTS)) {
        history.cpuPercent.push(point.cpuPercent)
        history.rssBytes.push(point.rssBytes)
      }
      session.history.set(pid, history)
    }
    // Main keeps the two streams apart: their relative order is lost, stdout comes first.
    pushLines(session.log, 'stdout', detail.output.stdout.lines)
    pushLines(session.log, 'stderr', detail.output.stderr.lines)
    const droppedByStream = { stdout: detail.output.stdout.droppedLines, stderr: detail.output.stderr.droppedLines }
    put({
      ...session,
      tree: detail.tree,
      droppedByStream,
      droppedLines: droppedByStream.stdout + droppedByStream.stderr,
      stopDeadline: localDeadline(detail.stopDeadlineAt, detail.at, nowMs),
      stopRequest: existing?.stopRequest,
      version: (existing?.version ?? 0) + 1,
      logVersion: (existing?.logVersion ?? 0) + 1
    })
  }

  function requestStop(launchId: string, request: StopRequest): void {
    const session = sessions.value[launchId]
    if (session) put({ ...session, stopRequest: request, version: session.version + 1 })
  }

  function select(launchId: string | undefined): void {
    selectedId.value = launchId
  }

  return { sessions, selectedId, selected, list, upsert, ingestUpdate, ingestOutput, restore, requestStop, select }
})
