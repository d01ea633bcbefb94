import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { HISTORY_POINTS, LOG_CAPACITY, LOG_LINE_MAX_CHARS, MAX_SESSIONS, useLaunchStore } from '../../../../renderer/src/stores/use-launch-store'
import { launchDetail, launchSummary, launchUpdate, procNode as proc } from '../../launch-fixtures'

const summary = (launchId: string, startedAt = 0) => launchSummary(launchId, { startedAt })

describe('useLaunchStore', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('records each process’s CPU and RSS history, bounded, and forgets processes that are gone', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    for (let i = 0; i < HISTORY_POINTS + 10; i++) launch.ingestUpdate(launchUpdate('l-1', { at: i, tree: [proc(10, i), proc(11)] }))
    const session = launch.sessions['l-1']!
    expect(session.history.get(10)!.cpuPercent.length).toBe(HISTORY_POINTS)
    expect(session.history.get(10)!.cpuPercent.last()).toBe(HISTORY_POINTS + 9)
    launch.ingestUpdate(launchUpdate('l-1', { at: 999, tree: [proc(10)] }))
    expect(launch.sessions['l-1']!.history.has(11)).toBe(false)
  })

  it('replaces the session object on every change so views re-render, keeping its rings', () => {
    const launch = useLaunchStore()
    const first = launch.upsert(summary('l-1'))
    launch.ingestUpdate(launchUpdate('l-1', { at: 1, tree: [proc(10)] }))
    const second = launch.sessions['l-1']!
    expect(second).not.toBe(first)
    expect(second.log).toBe(first.log)
    expect(second.version).toBe(first.version + 1)
  })

  it('keeps a bounded log tail and cuts runaway lines', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: Array.from({ length: LOG_CAPACITY + 5 }, (_, i) => `line ${i}`), droppedLines: 0 })
    launch.ingestOutput({ launchId: 'l-1', stream: 'stderr', lines: ['x'.repeat(LOG_LINE_MAX_CHARS + 1)], droppedLines: 0 })
    const session = launch.sessions['l-1']!
    expect(session.log.length).toBe(LOG_CAPACITY)
    expect(session.log.last()!.stream).toBe('stderr')
    expect(session.log.last()!.text.endsWith(`… (${LOG_LINE_MAX_CHARS + 1} characters)`)).toBe(true)
  })

  it('reads dropped lines as main’s running total per stream, and adds the two streams', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: ['a'], droppedLines: 3 })
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: ['b'], droppedLines: 3 })
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: ['c'], droppedLines: 7 })
    launch.ingestOutput({ launchId: 'l-1', stream: 'stderr', lines: ['d'], droppedLines: 2 })
    expect(launch.sessions['l-1']!.droppedLines).toBe(9)
  })

  it('takes the grace period and moves main’s stop deadline onto this window’s clock', () => {
    const launch = useLaunchStore()
    launch.upsert(launchSummary('l-1', { graceMs: 5000 }))
    expect(launch.sessions['l-1']!.graceMs).toBe(5000)
    // Main's clock reads 1 000 000 at the scan; this window's reads 2 000 000 on receipt.
    launch.ingestUpdate(launchUpdate('l-1', { at: 1_000_000, graceMs: 5000, stopDeadlineAt: 1_004_000, tree: [proc(10)] }), 2_000_000)
    expect(launch.sessions['l-1']!.stopDeadline).toBe(2_004_000)
    launch.ingestUpdate(launchUpdate('l-1', { at: 1_005_000, graceMs: 5000, stopDeadlineAt: null, tree: [proc(10)] }), 2_005_000)
    expect(launch.sessions['l-1']!.stopDeadline).toBeUndefined()
  })

  it('creates a session for events of a launch it has not heard of (started elsewhere)', () => {
    const launch = useLaunchStore()
    launch.ingestUpdate(launchUpdate('l-x', { at: 5, tree: [proc(3)], graceMs: 1500 }))
    expect(launch.sessions['l-x']?.tree).toHaveLength(1)
    expect(launch.sessions['l-x']?.graceMs).toBe(1500)
  })

  it('restores a launch from main’s full account, and later events continue from it', () => {
    const launch = useLaunchStore()
    launch.upsert(summary('l-1'))
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: ['seen before the reload'], droppedLines: 0 })
    launch.requestStop('l-1', { action: 'stop', scope: 'tree', pid: undefined, at: 50 })
    launch.restore(
      launchDetail('l-1', {
        at: 100,
        tree: [proc(10), proc(11)],
        stopDeadlineAt: 2100,
        history: [
          { pid: 10, points: Array.from({ length: HISTORY_POINTS + 3 }, (_, i) => ({ t: i, cpuPercent: i, rssBytes: 1000 + i })) },
          { pid: 11, points: [{ t: 0, cpuPercent: 50, rssBytes: 7 }] }
        ],
        output: { stdout: { lines: ['one', 'two'], droppedLines: 4 }, stderr: { lines: ['oops'], droppedLines: 1 } }
      }),
      1000
    )
    let session = launch.sessions['l-1']!
    expect(session.tree.map((n) => n.pid)).toEqual([10, 11])
    expect(session.history.get(10)!.cpuPercent.length).toBe(HISTORY_POINTS)
    expect(session.history.get(10)!.rssBytes.last()).toBe(1000 + HISTORY_POINTS + 2)
    expect(session.history.get(11)!.cpuPercent.toArray()).toEqual([50])
    expect(session.log.toArray().map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'one'],
      ['stdout', 'two'],
      ['stderr', 'oops']
    ])
    expect(session.droppedLines).toBe(5)
    expect(session.stopDeadline).toBe(3000)
    expect(session.stopRequest?.action).toBe('stop')

    launch.ingestUpdate(launchUpdate('l-1', { at: 200, tree: [proc(10, 99)] }))
    launch.ingestOutput({ launchId: 'l-1', stream: 'stdout', lines: ['three'], droppedLines: 4 })
    session = launch.sessions['l-1']!
    expect(session.history.get(10)!.cpuPercent.last()).toBe(99)
    expect(session.log.last()!.text).toBe('three')
    expect(session.droppedLines).toBe(5)
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
