/**
 * The speedup lab in browser mode, end to end in Debian's Chromium: a person opens the Speedup
 * view, benchmarks heavy-sum on 1 and 2 workers from its form, reads the report, finds it in the
 * history, compares two runs and exports one. Only shapes are checked, never timings: the machine
 * is shared, so a speedup can be anything. Screenshots land in test-results/screenshots/.
 *
 * The server keeps its history in a temporary data folder, so the test neither reads nor adds to
 * the user's own. Without Chromium this file reports itself skipped with the reason (CI installs it).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { browserMode, launchChromium, screenshotsDir, startServer, stopServer } from '../helpers/browser-mode'

const shots = screenshotsDir

/** A benchmark small enough to finish in seconds: 2 × 2,000,000 additions per run. */
const N = '2000000'
const M = '2'

/** Fills the form for a heavy-sum benchmark on 1 and 2 workers and starts it. */
async function startHeavySumBench(page: Page, runs: string): Promise<void> {
  const form = page.getByTestId('bench-form')
  await page.getByTestId('bench-task-select').selectOption('heavy-sum')
  await form.getByTestId('param-n').locator('input').fill(N)
  await form.getByTestId('param-m').locator('input').fill(M)
  await page.getByTestId('bench-workers').fill('1, 2')
  await page.getByTestId('bench-runs').fill(runs)
  await page.getByTestId('bench-warmup').fill('0')
  await page.getByTestId('bench-run-button').click()
}

describe.skipIf(!browserMode.isAvailable)(browserMode.suite('speedup view in browser mode'), () => {
  let browser: Browser
  let server: ChildProcess | undefined
  let url: string
  let page: Page
  let dataDir: string

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    dataDir = mkdtempSync(join(os.tmpdir(), 'poolscope-e2e-speedup-'))
    ;({ url, server } = await startServer([], { POOLSCOPE_DATA_DIR: dataDir }))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await stopServer(server)
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('opens the Speedup view with an empty history', async () => {
    const speedup = new URL(url)
    speedup.hash = 'speedup'
    await page.goto(speedup.toString())
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toMatch(/live|connected/i)
    await page.getByTestId('bench-form').waitFor()
    await expect.poll(() => page.getByTestId('bench-task-select').locator('option[value=heavy-sum]').count()).toBe(1)
    expect(await page.getByTestId('bench-history-item').count()).toBe(0)
  })

  it('runs a benchmark from the form and shows its report: baseline, a speedup row per worker count, chart and core busy', async () => {
    await startHeavySumBench(page, '2')
    const report = page.getByTestId('speedup-report')
    await report.waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('bench-error').count()).toBe(0)

    expect(await page.getByTestId('bench-baseline').textContent()).toMatch(/^Baseline: task heavy-sum in one process without a pool — median [\d.]+ ms over 2 timed runs/)
    expect(await report.getByTestId('bench-baseline-row').count()).toBe(1)
    const rows = report.getByTestId('bench-result-row')
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-workers')))).toEqual(['1', '2'])
    for (const speedup of await report.getByTestId('bench-result-speedup').allTextContents()) expect(speedup).toMatch(/^\d+\.\d\d×$/)

    await report.getByTestId('speedup-chart').locator('canvas').waitFor()
    expect(await report.locator('canvas[aria-label^="Busy percent"]').count()).toBe(1)
    await page.screenshot({ path: join(shots, 'speedup-report.png'), fullPage: true })
  }, 180_000)

  it('lists the finished benchmark in the history, with its parameters', async () => {
    await expect.poll(() => page.getByTestId('bench-history-item').count(), { timeout: 10_000 }).toBe(1)
    const item = page.getByTestId('bench-history-item').first()
    expect(await item.textContent()).toContain(`heavy-sum (process) n=${N} m=${M}`)
    expect(await item.textContent()).toMatch(/\d+\.\d\d×/)
  })

  it('exports the report as CSV with one row per series, and the chart as PNG', async () => {
    const report = page.getByTestId('speedup-report')
    const [csv] = await Promise.all([page.waitForEvent('download'), report.getByTestId('export-csv').click()])
    expect(csv.suggestedFilename()).toMatch(/^bench-\d{8}-\d{6}-[0-9a-f]{4}\.csv$/)
    const lines = readFileSync(await csv.path(), 'utf8').trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^kind,workers,median_ms,/)
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['baseline,1', 'workers,1', 'workers,2'])

    const [png] = await Promise.all([page.waitForEvent('download'), report.getByTestId('export-png').click()])
    expect(png.suggestedFilename()).toMatch(/\.png$/)
    expect(readFileSync(await png.path()).subarray(1, 4).toString('latin1')).toBe('PNG')
  }, 30_000)

  it('compares two saved benchmarks side by side', async () => {
    await startHeavySumBench(page, '1')
    await expect.poll(() => page.getByTestId('bench-history-item').count(), { timeout: 120_000 }).toBe(2)
    const boxes = page.getByTestId('bench-compare')
    await boxes.nth(0).check()
    await boxes.nth(1).check()
    const view = page.getByTestId('bench-compare-view')
    await view.waitFor()
    expect(await view.getByTestId('speedup-report').count()).toBe(2)
    const table = view.getByTestId('bench-compare-table')
    expect(await table.locator('tbody tr').allTextContents()).toHaveLength(3)
    await page.screenshot({ path: join(shots, 'speedup-compare.png'), fullPage: true })
  }, 180_000)
})
