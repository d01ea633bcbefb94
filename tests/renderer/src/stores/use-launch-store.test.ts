import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ProcNode } from '../../../../preload/contract'
import { HISTORY_POINTS, LOG_CAPACITY, LOG_LINE_MAX_CHARS, MAX_SESSIONS, useLaunchStore } from '../../../../renderer/src/stores/use-launch-store'

const proc = (pid: number, cpuPercent = 1): ProcNode => ({ pid, ppid: 1, name: 'p', command: 'p', state: 'S', cpuPercent, rssBytes: 100 })
const summary = (launchId: string, startedAt = 0) => ({ launchId, argv: ['sleep', '1'], pid: 10, startedAt, exit: undefined })

describe('useLaunchStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('records each process’s CPU and RSS history, bounded, and forgets processes that are gone', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    for (let i = 0; i < HISTORY_POINTS + 10; i++) launch.ingestUpdate({ launchId: 'l-1', at: i, tree: [proc(10, i), proc(11)], exit: undefined })
    const session = launch.sessions['l-1']!
    expect(session.history.get(10)!.cpuPercent.length).toBe(HISTORY_POINTS)
    expect(session.history.get(10)!.cpuPercent.last()).toBe(HISTORY_POINTS + 9)
    launch.ingestUpdate({ launchId: 'l-1', at: 999, tree: [proc(10)], exit: undefined })
    expect(launch.sessions['l-1']!.history.has(11)).toBe(false)
  })

  it('replaces the session object on every change so views re-render, keeping its rings', () => {
    const launch = useLaunchStore()
    const first = launch.upsert(summary('l-1'))
    launch.ingestUpdate({ launchId: 'l-1', at: 1, tree: [proc(10)], exit: undefined })
    const second = launch.sessions['l-1']!
    expect(second).not.toBe(first)
    expect(second.log).toBe(first.log)
    expect(second.version).toBe(first.version + 1)
  })

  it('keeps a bounded log tail, adds up dropped lines and cuts runaway lines', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: Array.from({ length: LOG_CAPACITY + 5 }, (_, i) => `line ${i}`), droppedLines: 3 })
    launch.ingestOutput({ launchId: 'l-1', stream: 'stderr', lines: ['x'.repeat(LOG_LINE_MAX_CHARS + 1)], droppedLines: 2 })
    const session = launch.sessions['l-1']!
    expect(session.log.length).toBe(LOG_CAPACITY)
    expect(session.droppedLines).toBe(5)
    expect(session.log.last()!.stream).toBe('stderr')
    expect(session.log.last()!.text.endsWith(`… (${LOG_LINE_MAX_CHARS + 1} characters)`)).toBe(true)
  })

  it('creates a session for events of a launch it has not heard of (started elsewhere)', () => {
    const launch = useLaunchStore()
    launch.ingestUpdate({ launchId: 'l-x', at: 5, tree: [proc(3)], exit: undefined })
    expect(launch.sessions['l-x']?.tree).toHaveLength(1)
  })

  it('remembers a bounded number of launches, evicting the oldest that have exited', () => {
    const launch = useLaunchStore()
    for (let i = 0; i < MAX_SESSIONS + 3; i++) {
      launch.upsert({ ...summary(`l-${i}`, i), exit: { code: 0, signal: null } })
    }
    expect(Object.keys(launch.sessions)).toHaveLength(MAX_SESSIONS)
    expect(launch.sessions['l-0']).toBeUndefined()
    expect(launch.list[0]!.launchId).toBe(`l-${MAX_SESSIONS + 2}`)
  })
})
