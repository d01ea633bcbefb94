import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BenchHistory, BenchNotFoundError, defaultDataDir } from '../../../../main/bench/report/history'
import { sampleReport } from '../../../fixtures/bench/sample-report'

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'poolscope-history-'))
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

describe('defaultDataDir', () => {
  it('honours POOLSCOPE_DATA_DIR on every platform', () => {
    expect(defaultDataDir({ POOLSCOPE_DATA_DIR: '/data/ps' }, 'linux', '/home/ada')).toBe('/data/ps')
    expect(defaultDataDir({ POOLSCOPE_DATA_DIR: 'D:\\ps' }, 'win32', 'C:\\Users\\ada')).toBe('D:\\ps')
  })

  it('uses XDG_DATA_HOME or ~/.local/share on Linux', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/poolscope')
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/poolscope')
  })

  it('ignores a relative XDG_DATA_HOME, as the XDG spec requires', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: 'rel' }, 'linux', '/home/ada')).toBe('/home/ada/.local/share/poolscope')
  })

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/PoolScope')
  })

  it('uses %APPDATA% on Windows, or the roaming folder under the home folder', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\PoolScope'
    )
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\PoolScope')
  })
})

describe('BenchHistory', () => {
  it('saves a report as <id>.json in the benches folder and returns it with id and file', async () => {
    const history = new BenchHistory({ dataDir })
    const saved = await history.save(sampleReport())
    expect(saved.id).toMatch(/^bench-20261124-153012-[0-9a-f]{4}$/)
    expect(saved.file).toBe(path.join(dataDir, 'benches', `${saved.id}.json`))
    const onDisk = JSON.parse(readFileSync(saved.file ?? '', 'utf8'))
    expect(onDisk).toMatchObject({ id: saved.id, command: 'python3 job.py {workers}' })
    expect(onDisk).not.toHaveProperty('file')
  })

  it('saves under the id it is given, so progress events and the saved report agree', async () => {
    const saved = await new BenchHistory({ dataDir }).save(sampleReport(), { id: 'bench-20261124-153012-ab12' })
    expect(saved.id).toBe('bench-20261124-153012-ab12')
  })

  it('never overwrites a saved report', async () => {
    const history = new BenchHistory({ dataDir })
    await history.save(sampleReport(), { id: 'bench-20261124-153012-ab12' })
    await expect(history.save(sampleReport(), { id: 'bench-20261124-153012-ab12' })).rejects.toThrow(/already saved/)
  })

  it('gets a saved report back exactly', async () => {
    const history = new BenchHistory({ dataDir })
    const saved = await history.save(sampleReport())
    const read = await history.get(saved.id)
    expect(read).toEqual(saved)
    expect(read.results[0]?.karpFlatt).toBeUndefined()
  })

  it('throws BenchNotFoundError for an unknown id', async () => {
    await expect(new BenchHistory({ dataDir }).get('bench-20000101-000000-0000')).rejects.toBeInstanceOf(BenchNotFoundError)
  })

  it('refuses ids that could leave the folder', async () => {
    await expect(new BenchHistory({ dataDir }).get('../secrets')).rejects.toThrow(/not a valid benchmark id/)
  })

  it('lists summaries newest first with a title and the best speedup', async () => {
    const history = new BenchHistory({ dataDir })
    const older = await history.save(sampleReport())
    const newer = await history.save(
      sampleReport({ createdAt: '2026-11-25T08:00:00.000Z', command: undefined, task: 'sum-squares', backend: 'thread', params: { n: 5 } })
    )
    expect(await history.list()).toEqual([
      { id: newer.id, createdAt: newer.createdAt, title: 'sum-squares (thread) n=5', bestSpeedup: 1.9299768518518519, file: newer.file },
      { id: older.id, createdAt: older.createdAt, title: 'python3 job.py {workers}', bestSpeedup: 1.9299768518518519, file: older.file }
    ])
  })

  it('lists nothing when nothing was saved yet', async () => {
    expect(await new BenchHistory({ dataDir: path.join(dataDir, 'missing') }).list()).toEqual([])
  })

  it('skips files that are not reports instead of failing the whole list', async () => {
    const history = new BenchHistory({ dataDir })
    const saved = await history.save(sampleReport())
    writeFileSync(path.join(history.dir, 'bench-broken.json'), '{ "id": ')
    writeFileSync(path.join(history.dir, 'notes.txt'), 'hello')
    expect((await history.list()).map((s) => s.id)).toEqual([saved.id])
    await expect(history.get('bench-broken')).rejects.toThrow(/unreadable/)
  })
})
