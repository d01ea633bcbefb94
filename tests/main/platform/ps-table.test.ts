import { describe, expect, it } from 'vitest'
import { PsTable, parseDurationMs } from '../../../main/platform/ps-table'

const hasPs = process.platform !== 'win32'

describe('PsTable', () => {
  it('reads ps durations in the macOS and procps forms', () => {
    expect(parseDurationMs('0:01.50')).toBe(1500)
    expect(parseDurationMs('00:00:02')).toBe(2000)
    expect(parseDurationMs('01:02:03')).toBe(3_723_000)
    expect(parseDurationMs('2-00:00:01')).toBe(172_801_000)
    expect(parseDurationMs('garbage')).toBeUndefined()
  })

  it.skipIf(!hasPs)('lists this process with its parent, group, name and memory', async () => {
    const rows = await new PsTable().list()
    const self = rows.find((row) => row.pid === process.pid)
    expect(self).toMatchObject({ ppid: process.ppid, state: expect.any(String) })
    expect(self?.pgid).toBeGreaterThan(0)
    expect(self?.name.length).toBeGreaterThan(0)
    expect(self?.rssBytes).toBeGreaterThan(0)
    expect(self?.startToken).toMatch(/\d{4}$/)
  })

  it.skipIf(!hasPs)('answers an empty list for pids that do not exist', async () => {
    expect(await new PsTable().readUsage([2 ** 30])).toEqual([])
  })
})
