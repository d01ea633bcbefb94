/**
 * The cluster in browser mode, in Debian's Chromium: `poolscope serve --redis URL` with one
 * `poolscope worker` host on a Redis of the test's own. The Cluster tab shows the host, its cores
 * and its slots; a run started from the dashboard with backend "redis" keeps the slots busy; a
 * failed job is listed with its error and retried with its button. Screenshot:
 * test-results/screenshots/cluster.png.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ClusterPool } from '../../main/cluster/cluster-pool'
import { launchChromium, screenshotsDir, startServer, stopServer } from '../helpers/browser-mode'
import { requireRedisInCi, startRedis, startWorkerHost, type TestRedis, type TestWorkerHost } from '../helpers/redis'
import { skipUnless } from '../helpers/skip'

const needs = requireRedisInCi(skipUnless('redis-server', 'chromium', 'build'))
const cli = resolve(__dirname, '../../out/main/cli.js')
const PASSWORD = 'e2e-pw-123'

function clusterUrl(url: string): string {
  const page = new URL(url)
  page.hash = 'cluster'
  return page.toString()
}

describe.skipIf(!needs.isAvailable)(needs.suite('the cluster view in browser mode'), () => {
  let redis: TestRedis
  let host: TestWorkerHost
  let server: ChildProcess | undefined
  let browser: Browser
  let page: Page
  let url: string
  let pool: ClusterPool | undefined

  beforeAll(async () => {
    mkdirSync(screenshotsDir, { recursive: true })
    redis = await startRedis({ password: PASSWORD })
    host = startWorkerHost(cli, redis.url, 'east', { concurrency: 2 })
    await host.waitForLog(/waiting for runs/)
    ;({ url, server } = await startServer(['--redis', redis.url]))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  }, 60_000)

  afterAll(async () => {
    await pool?.terminate()
    await browser?.close()
    await stopServer(server)
    await host?.killTree()
    await redis?.stop()
  })

  it('has a Cluster tab showing the host, its slots and the Redis URL with its password masked', async () => {
    await page.goto(clusterUrl(url))
    await page.getByTestId('tab-cluster').waitFor()
    await page.getByTestId('cluster-view').waitFor()
    expect(await page.getByTestId('cluster-redis').textContent()).toMatch(/redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/)
    await expect.poll(() => page.getByTestId('cluster-connection').textContent(), { timeout: 15_000 }).toMatch(/connected/)
    const east = page.locator('[data-testid="cluster-host"][data-host="east"]')
    await east.waitFor({ timeout: 15_000 })
    expect(await east.getAttribute('data-status')).toBe('up')
    await expect.poll(() => east.getByTestId('cluster-slot').count(), { timeout: 15_000 }).toBe(2)
    expect(await page.content()).not.toContain(PASSWORD)
  }, 60_000)

  it('runs from the dashboard on the cluster, lists a failed job and retries it', async () => {
    // A failed job in a live run of the test's own (the dashboard's runs end on their first failure).
    pool = new ClusterPool({ redis: redis.url, workers: 2, name: 'e2e-failing' })
    await pool.ready()
    await expect(pool.apply('heavy-sum:sumRange', [-1, 5])).rejects.toThrow(/whole numbers/)

    await page.getByTestId('tab-dashboard').click()
    await expect
      .poll(async () => (await page.getByTestId('task-select').locator('option').allTextContents()).join(' '), { timeout: 15_000 })
      .toMatch(/square|Square/)
    await page.getByTestId('task-select').selectOption('square')
    await page.getByTestId('param-count').locator('input').fill('600')
    await page.getByTestId('param-delayMs').locator('input').fill('40')
    await page.getByTestId('workers-input').fill('4')
    await page.getByTestId('backend-select').selectOption('redis')
    await page.getByTestId('run-button').click()

    await page.getByTestId('tab-cluster').click()
    const east = page.locator('[data-testid="cluster-host"][data-host="east"]')
    await expect.poll(async () => (await east.getByTestId('cluster-slots').textContent()) ?? '', { timeout: 20_000 }).toMatch(/busy/)
    await expect.poll(() => page.getByTestId('cluster-run').count(), { timeout: 15_000 }).toBe(2)
    const failed = page.getByTestId('failed-job')
    await expect.poll(() => failed.count(), { timeout: 15_000 }).toBe(1)
    expect(await failed.getByTestId('failed-job-error').textContent()).toMatch(/RangeError: .*whole numbers/)
    expect(await page.getByTestId('depth-failed').textContent()).toMatch(/^1/)
    await page.waitForTimeout(2_500)
    await page.screenshot({ path: join(screenshotsDir, 'cluster.png'), fullPage: true })

    // Retried, it runs again on the host and fails again (same input): its run count goes to 2.
    await failed.getByTestId('retry-job').click()
    await expect.poll(async () => (await failed.locator('td').nth(4).textContent())?.trim(), { timeout: 15_000 }).toBe('2')
  }, 120_000)

  it('shows the host gone once it is killed', async () => {
    await host.killTree()
    const east = page.locator('[data-testid="cluster-host"][data-host="east"]')
    await expect.poll(() => east.getAttribute('data-status'), { timeout: 20_000 }).toBe('gone')
    expect(await east.getByTestId('host-status').textContent()).toMatch(/gone/)
    await page.screenshot({ path: join(screenshotsDir, 'cluster-host-gone.png'), fullPage: true })
  }, 40_000)
})
