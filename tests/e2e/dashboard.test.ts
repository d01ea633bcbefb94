/**
 * Browser mode end to end, in Debian's Chromium: the built app served by `poolscope serve`, driven
 * the way a person would — pick a task, run it, watch the charts and the worker table move, kill a
 * worker and see it replaced, stop a run. Screenshots land in test-results/screenshots/.
 *
 * Without Chromium this file reports itself skipped with the reason (CI installs it).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { browserMode, launchChromium, screenshotsDir, startServer, stopServer } from '../helpers/browser-mode'

const shots = screenshotsDir

describe.skipIf(!browserMode.isAvailable)(browserMode.suite('dashboard in browser mode'), () => {
  let browser: Browser
  let server: ChildProcess | undefined
  let url: string
  let page: Page

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    ;({ url, server } = await startServer())
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await stopServer(server)
  })

  it('serves the dashboard with the per-core chart and the catalog', async () => {
    await page.goto(url)
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toMatch(/live|connected/i)
    await page.getByTestId('core-chart').waitFor()
    // The catalog arrives after the connection is up; until then the list says it is loading.
    await expect
      .poll(async () => (await page.getByTestId('task-select').locator('option').allTextContents()).join(' '), { timeout: 15_000 })
      .toMatch(/heavy-sum|Heavy sum/)
    expect(await page.getByTestId('task-select').locator('option').allTextContents()).not.toContain('No tasks')
  })

  it('runs heavy-sum on two workers and shows the queue, the workers and the task stream moving', async () => {
    await page.getByTestId('task-select').selectOption('heavy-sum')
    await page.getByTestId('param-n').locator('input').fill('300000000')
    await page.getByTestId('param-m').locator('input').fill('16')
    await page.getByTestId('workers-input').fill('2')
    await page.getByTestId('run-button').click()
    await expect.poll(() => page.getByTestId('worker-row').count(), { timeout: 20_000 }).toBe(2)
    // Both workers get a pid and at least one of them is busy while the queue drains.
    await expect.poll(async () => (await page.getByTestId('worker-table').textContent()) ?? '', { timeout: 20_000 }).toMatch(/busy/)
    // CPU and RSS arrive once a second as monitor:processes while the run is live.
    await expect.poll(async () => (await page.getByTestId('worker-rss').allTextContents()).filter((text) => /\d/.test(text)).length, { timeout: 20_000 }).toBe(2)
    expect((await page.getByTestId('worker-cpu').allTextContents()).some((text) => /\d+\s*%/.test(text))).toBe(true)
    await page.waitForTimeout(2500)
    await page.screenshot({ path: join(shots, 'dashboard-heavy-sum.png') })
    await expect.poll(() => page.getByTestId('run-result').textContent(), { timeout: 120_000 }).toMatch(/n\(n−1\)\/2|exactly/)
    expect(await page.getByTestId('run-check').textContent()).toContain('✓')
    await page.screenshot({ path: join(shots, 'dashboard-finished.png') })
  }, 180_000)

  it('kills a worker on request and shows its replacement', async () => {
    await page.getByTestId('task-select').selectOption('square')
    await page.getByTestId('param-count').locator('input').fill('4000')
    await page.getByTestId('param-delayMs').locator('input').fill('50')
    await page.getByTestId('workers-input').fill('2')
    await page.getByTestId('run-button').click()
    await expect.poll(() => page.getByTestId('worker-row').count(), { timeout: 20_000 }).toBe(2)
    await expect.poll(async () => (await page.getByTestId('worker-table').textContent()) ?? '', { timeout: 20_000 }).toMatch(/busy/)
    await page.getByTestId('kill-worker').first().click()
    await expect
      .poll(async () => (await page.getByTestId('worker-restarts').allTextContents()).map(Number).some((n) => n >= 1), { timeout: 20_000 })
      .toBe(true)
    await page.screenshot({ path: join(shots, 'dashboard-worker-killed.png') })
    // Without retries the task that was running on the killed worker fails the run, naming it.
    await expect.poll(() => page.getByTestId('run-result').textContent(), { timeout: 30_000 }).toMatch(/SIGKILL|killed|crash/i)
  }, 120_000)

  it('stops a running task and says so', async () => {
    await page.getByTestId('task-select').selectOption('square')
    await page.getByTestId('param-count').locator('input').fill('4000')
    await page.getByTestId('param-delayMs').locator('input').fill('50')
    await page.getByTestId('run-button').click()
    await expect.poll(async () => (await page.getByTestId('worker-table').textContent()) ?? '', { timeout: 20_000 }).toMatch(/busy/)
    await page.getByTestId('stop-button').click()
    await expect.poll(() => page.getByTestId('run-result').textContent(), { timeout: 30_000 }).toMatch(/stopped/i)
  }, 120_000)

  it('shows the queue of producer-consumer under the queue chart while it fills and drains', async () => {
    await page.getByTestId('task-select').selectOption('producer-consumer')
    await page.getByTestId('param-itemsPerProducer').locator('input').fill('500')
    await page.getByTestId('param-workMs').locator('input').fill('10')
    await page.getByTestId('run-button').click()
    const row = page.locator('[data-testid=primitive-row][data-kind=queue]')
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
    expect(await row.textContent()).toContain('items')
    // Its depth against the bound, "n / 10", fills while the producers outrun the consumers.
    await expect.poll(async () => (await row.getByTestId('primitive-depth').textContent()) ?? '', { timeout: 20_000 }).toMatch(/^[1-9]\d* \/ 10$/)
    await page.screenshot({ path: join(shots, 'dashboard-queue.png') })
    await page.getByTestId('stop-button').click()
    await expect.poll(() => page.getByTestId('run-result').textContent(), { timeout: 30_000 }).toMatch(/stopped/i)
  }, 120_000)

  it('refuses data to a page opened without the token', async () => {
    const bare = new URL(url)
    bare.search = ''
    const other = await browser.newPage()
    await other.goto(bare.toString())
    await other.waitForTimeout(2000)
    // No catalog arrives: the task list stays empty (or the page says why it cannot connect).
    expect(await other.locator('[data-testid=task-select] option[value=heavy-sum]').count()).toBe(0)
    expect(await other.getByTestId('worker-row').count()).toBe(0)
    await other.close()
  }, 30_000)
})
