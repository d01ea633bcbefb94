import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProcFsTable } from '../../../main/platform/proc-fs-table'

/** Builds a fake `/proc` with the files ProcFsTable reads. */
function writeProcess(root: string, pid: number, stat: string, cmdline: string): void {
  mkdirSync(join(root, String(pid)))
  writeFileSync(join(root, String(pid), 'stat'), stat)
  writeFileSync(join(root, String(pid), 'cmdline'), cmdline)
}

/** A stat line: fields after the name as proc(5) numbers them, from 3 (state) on. */
function statLine(pid: number, name: string, fields: { state: string; ppid: number; pgrp: number; utime: number; stime: number; start: number; rssPages: number }): string {
  const after = new Array(50).fill('0')
  after[0] = fields.state
  after[1] = String(fields.ppid)
  after[2] = String(fields.pgrp)
  after[11] = String(fields.utime)
  after[12] = String(fields.stime)
  after[19] = String(fields.start)
  after[21] = String(fields.rssPages)
  return `${pid} (${name}) ${after.join(' ')}\n`
}

describe('ProcFsTable', () => {
  let root: string

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fake-proc-'))
    mkdirSync(join(root, 'self'))
    writeFileSync(join(root, 'self', 'stat'), statLine(1, 'self', { state: 'R', ppid: 0, pgrp: 1, utime: 0, stime: 0, start: 0, rssPages: 0 }))
    writeFileSync(join(root, 'uptime'), '100.00 150.00\n')
    writeFileSync(join(root, 'meminfo'), 'MemTotal: 1000 kB\n')
  })

  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  it('parses names with spaces and parentheses, CPU time, memory and age', async () => {
    writeProcess(root, 42, statLine(42, 'we(ird) name', { state: 'S', ppid: 7, pgrp: 40, utime: 150, stime: 50, start: 4000, rssPages: 10 }), 'python3\0-c\0print(1)\0')
    const [row] = await new ProcFsTable({ procRoot: root }).list()
    expect(row).toMatchObject({
      pid: 42,
      ppid: 7,
      pgid: 40,
      name: 'we(ird) name',
      command: 'python3 -c print(1)',
      state: 'sleeping',
      // Without an auxv file: 100 ticks per second and 4 KiB pages.
      cpuTimeMs: 2000,
      rssBytes: 40960,
      ageMs: 60_000,
      startToken: '4000'
    })
  })

  it('shows kernel threads and zombies as [name]', async () => {
    writeProcess(root, 2, statLine(2, 'kthreadd', { state: 'S', ppid: 0, pgrp: 0, utime: 0, stime: 0, start: 1, rssPages: 0 }), '')
    writeProcess(root, 9, statLine(9, 'defunct', { state: 'Z', ppid: 2, pgrp: 0, utime: 0, stime: 0, start: 1, rssPages: 0 }), '')
    const rows = await new ProcFsTable({ procRoot: root }).list()
    expect(rows.map((row) => [row.command, row.state])).toEqual([
      ['[kthreadd]', 'sleeping'],
      ['[defunct]', 'zombie']
    ])
  })

  it('reads command lines only for the rows a selector keeps', async () => {
    writeProcess(root, 10, statLine(10, 'a', { state: 'R', ppid: 1, pgrp: 10, utime: 0, stime: 0, start: 1, rssPages: 1 }), 'a\0')
    writeProcess(root, 11, statLine(11, 'b', { state: 'R', ppid: 1, pgrp: 11, utime: 0, stime: 0, start: 1, rssPages: 1 }), 'b\0')
    let seen: string[] = []
    const rows = await new ProcFsTable({ procRoot: root }).list((all) => {
      seen = all.map((row) => row.command)
      return all.filter((row) => row.pid === 11)
    })
    expect(seen).toEqual(['', ''])
    expect(rows.map((row) => row.command)).toEqual(['b'])
  })

  it('leaves out pids that have vanished when reading usage', async () => {
    writeProcess(root, 10, statLine(10, 'a', { state: 'R', ppid: 1, pgrp: 10, utime: 5, stime: 5, start: 1, rssPages: 3 }), 'a\0')
    const rows = await new ProcFsTable({ procRoot: root }).readUsage([10, 99])
    expect(rows.map((row) => [row.pid, row.cpuTimeMs, row.rssBytes])).toEqual([[10, 100, 12288]])
  })

  it('reads the real /proc with this process in it', async () => {
    if (!ProcFsTable.isAvailable()) return
    const [self] = await new ProcFsTable().readUsage([process.pid])
    expect(self.rssBytes).toBeGreaterThan(0)
    expect(self.cpuTimeMs).toBeGreaterThan(0)
  })
})
