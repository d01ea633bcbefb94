import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { LaunchOutput, LaunchSummary, LaunchUpdate, ProcNode } from '../../../preload/contract'
import { RingBuffer } from '../lib/ring-buffer'

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
  droppedLines: number
  stopRequest: StopRequest | undefined
  version: number
  logVersion: number
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
      ? { ...existing, argv: summary.argv, pid: summary.pid ?? existing.pid, exit: existing.exit ?? summary.exit, version: existing.version + 1 }
      : createSession(summary)
    put(session)
    return session
  }

  function ensure(launchId: string, nowMs: number): LaunchSession {
    return sessions.value[launchId] ?? createSession({ launchId, argv: [], pid: undefined, startedAt: nowMs, exit: undefined })
  }

  function ingestUpdate(update: LaunchUpdate): void {
    const session = ensure(update.launchId, update.at)
    const live = new Set(update.tree.map((node) => node.pid))
    for (const pid of session.history.keys()) if (!live.has(pid)) session.history.delete(pid)
    for (const node of update.tree) {
      let history = session.history.get(node.pid)
      if (!history) {
        history = { cpuPercent: new RingBuffer(HISTORY_POINTS), rssBytes: new RingBuffer(HISTORY_POINTS) }
        session.history.set(node.pid, history)
      }
      history.cpuPercent.push(node.cpuPercent)
      history.rssBytes.push(node.rssBytes)
    }
    put({ ...session, tree: update.tree, exit: update.exit ?? session.exit, version: session.version + 1 })
  }

  function ingestOutput(output: LaunchOutput, nowMs = Date.now()): void {
    const session = ensure(output.launchId, nowMs)
    for (const line of output.lines) {
      const text = line.length > LOG_LINE_MAX_CHARS ? `${line.slice(0, LOG_LINE_MAX_CHARS)}… (${line.length} characters)` : line
      session.log.push({ seq: nextSeq++, stream: output.stream, text })
    }
    put({ ...session, droppedLines: session.droppedLines + output.droppedLines, logVersion: session.logVersion + 1 })
  }

  function requestStop(launchId: string, request: StopRequest): void {
    const session = sessions.value[launchId]
    if (session) put({ ...session, stopRequest: request, version: session.version + 1 })
  }

  function select(launchId: string | undefined): void {
    selectedId.value = launchId
  }

  return { sessions, selectedId, selected, list, upsert, ingestUpdate, ingestOutput, requestStop, select }
})
