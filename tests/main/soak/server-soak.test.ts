/**
 * The server leak run, briefly: a real browser-mode server with the app's services, driven over
 * its WebSocket API. Every run must succeed, the server must keep a bounded list of finished runs,
 * and no worker may be left once it has closed. (The ten-minute figures are in the README.)
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runServerSoak } from '../../../main/soak/server-soak'
import { workerScript } from '../../helpers/paths'

let rendererDir: string | undefined

afterEach(async () => {
  if (rendererDir) await rm(rendererDir, { recursive: true, force: true })
  rendererDir = undefined
})

describe('the server leak run', () => {
  it('runs catalog tasks through the WebSocket API, every one succeeding, and leaves no worker', async () => {
    rendererDir = await mkdtemp(join(tmpdir(), 'poolscope-soak-renderer-'))
    const report = await runServerSoak({ seconds: 3, everyMs: 250, rendererDir, workerScript })
    expect(report.failures).toEqual([])
    expect(report).toMatchObject({ runsFailed: 0, orphans: 0 })
    expect(report.runs).toBeGreaterThan(0)
    // RunManager keeps the 20 most recent finished runs.
    expect(report.runsListed).toBeLessThanOrEqual(20)
    expect(report.rssMb.peak).toBeGreaterThanOrEqual(report.rssMb.start)
    expect(report.handles.peak).toBeGreaterThan(0)
  }, 60_000)
})
