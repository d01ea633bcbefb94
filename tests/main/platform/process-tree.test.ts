import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../../main/platform'
import { sameStart, selectTree } from '../../../main/platform/process-tree'

function row(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    pgid: undefined,
    name: `p${pid}`,
    command: `p${pid}`,
    state: 'sleeping',
    cpuTimeMs: 0,
    cpuPercent: undefined,
    rssBytes: 0,
    ageMs: undefined,
    startToken: undefined,
    ...extra
  }
}

const pids = (rows: ProcessInfo[]): number[] => rows.map((r) => r.pid)

describe('selectTree', () => {
  it('lists the root and its descendants parents first, leaving others out', () => {
    const all = [row(30, 20), row(1, 0), row(20, 10), row(10, 1), row(21, 10), row(99, 1)]
    expect(pids(selectTree(all, { roots: [{ pid: 10, startToken: undefined }] }))).toEqual([10, 20, 21, 30])
  })

  it('adds members of the process group that were re-parented away', () => {
    const all = [row(1, 0), row(10, 1, { pgid: 10 }), row(11, 1, { pgid: 10 }), row(12, 11, { pgid: 12 })]
    expect(pids(selectTree(all, { roots: [{ pid: 10, startToken: undefined }], processGroup: 10 }))).toEqual([10, 11, 12])
  })

  it('keeps known processes and their children after the root is gone', () => {
    const all = [row(1, 0), row(11, 1), row(12, 11)]
    const tree = selectTree(all, { roots: [{ pid: 10, startToken: undefined }, { pid: 11, startToken: undefined }] })
    expect(pids(tree)).toEqual([11, 12])
  })

  it('does not mistake a reused pid for a known process', () => {
    const all = [row(1, 0), row(11, 1, { startToken: 'new' })]
    expect(selectTree(all, { roots: [{ pid: 11, startToken: 'old' }] })).toEqual([])
  })

  it('never starts a tree from a zombie but lists zombie children of live members', () => {
    const all = [row(1, 0), row(10, 1, { pgid: 10 }), row(11, 10, { state: 'zombie' }), row(12, 1, { pgid: 10, state: 'zombie' })]
    expect(pids(selectTree(all, { roots: [{ pid: 10, startToken: undefined }], processGroup: 10 }))).toEqual([10, 11])
    expect(selectTree(all, { roots: [{ pid: 12, startToken: undefined }] })).toEqual([])
  })

  it('lists every member once even when a snapshot holds a parent loop', () => {
    const all = [row(10, 11), row(11, 10)]
    expect(pids(selectTree(all, { roots: [{ pid: 10, startToken: undefined }] })).sort()).toEqual([10, 11])
  })
})

describe('sameStart', () => {
  it('treats an unknown start on either side as the same process', () => {
    expect(sameStart({ pid: 1, startToken: undefined }, { pid: 1, startToken: 'a' })).toBe(true)
    expect(sameStart({ pid: 1, startToken: 'a' }, { pid: 1, startToken: 'b' })).toBe(false)
  })
})
