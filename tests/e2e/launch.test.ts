/**
 * Launching any command in browser mode, end to end in Debian's Chromium: launch a node script that
 * forks two busy children through the Processes view, watch its tree and charts, stop a process that
 * ignores SIGTERM (the grace countdown, then SIGKILL), "kill tree" and find no survivor; and a server
 * started without `--allow-launch` says so where the launch button would be and refuses the request
 * even when a page sends it directly. Screenshots land in test-results/screenshots/.
 *
 * Node scripts rather than Python, so the test needs nothing but Node; without Chromium or the
 * build this file reports itself skipped with the reason.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  browserMode,
  launchChromium,
  screenshotsDir,
  startServer,
  stopServer,
  tabUrl
} from '../helpers/browser-mode'
import { fixturePath, survivorsBySignalZero } from '../main/platform/fixture-process'
import { skipUnless } from '../helpers/skip'

const needs = skipUnless('chromium', 'build', 'posix')

/** A command line for the launcher's field: POSIX quoting, so paths with spaces survive. */
const commandLine = (...argv: string[]) => argv.map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ')

/** The pids the tree table shows, parents first. */
const shownPids = (page: Page) => page.getByTestId('process-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-pid'))))

describe.skipIf(!needs.isAvailable)(needs.suite('launching commands in browser mode'), () => {
  let browser: Browser
  let server: ChildProcess | undefined
  let url: string
  let page: Page

  beforeAll(async () => {
    mkdirSync(screenshotsDir, { recursive: true })
    ;({ url, server } = await startServer(['--allow-launch']))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(tabUrl(url, 'processes'))
    await page.locator('[data-testid=launch-button]:enabled').waitFor({ timeout: 15_000 })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    // The server kills whatever it launched that is still running as it stops.
    await stopServer(server)
  })

  it('shows the tree of a script that forks two busy children, then kill tree leaves none of it', async () => {
    // Children that burn CPU until killed (ten minutes is "forever" here).
    await page.getByTestId('launch-command').fill(commandLine(process.execPath, fixturePath('fork-and-exit.cjs'), 'parent', '2', '600000', '--go-now'))
    await page.getByTestId('launch-button').click()

    // The script prints its children's pids once both are up; the tree must show them under it.
    await expect.poll(async () => (await page.getByTestId('process-log').textContent()) ?? '', { timeout: 20_000 }).toMatch(/forked \{"pids":\[\d+,\d+\]\}/)
    const logText = (await page.getByTestId('process-log').textContent()) ?? ''
    const children = JSON.parse(/forked (\{"pids":\[\d+,\d+\]\})/.exec(logText)![1]).pids as number[]
    await expect.poll(async () => (await shownPids(page)).sort(), { timeout: 20_000 }).toEqual(expect.arrayContaining(children.sort()))
    const pids = await shownPids(page)
    expect(pids).toHaveLength(3)
    const root = pids.find((pid) => !children.includes(pid))!
    for (const child of children) {
      // Indented under the root in tree order.
      expect(await page.locator(`[data-testid=process-row][data-pid="${child}"] .branch`).count()).toBe(1)
    }
    expect(await page.locator(`[data-testid=process-row][data-pid="${root}"] .branch`).count()).toBe(0)
    // The busy children show CPU use (a scan with a CPU figure needs an earlier scan to compare).
    const cpuOf = (pid: number) => page.locator(`[data-testid=process-row][data-pid="${pid}"] [data-testid=process-cpu]`).textContent()
    await expect.poll(async () => Number.parseFloat((await cpuOf(children[0])) ?? '0'), { timeout: 20_000 }).toBeGreaterThan(0)
    // Every process has its CPU and RSS history charts, each drawn once it has two points, and the
    // per-core chart sits beside them.
    const charts = page.getByTestId('process-tree').getByRole('img')
    expect(await charts.count()).toBe(2 * pids.length)
    await expect
      .poll(() => charts.evaluateAll((canvases) => Math.min(...canvases.map((c) => Number(c.getAttribute('data-points'))))), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2)
    await page.getByTestId('core-chart').waitFor()
    await page.screenshot({ path: join(screenshotsDir, 'launch-tree.png') })

    // A window opened late sees the running launch as it is: its tree and its output so far.
    const late = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await late.goto(tabUrl(url, 'processes'))
    await expect.poll(async () => (await shownPids(late)).sort(), { timeout: 20_000 }).toEqual([...pids].sort())
    expect(await late.getByTestId('process-log').textContent()).toContain('forked {"pids":')
    await late.close()

    await page.getByTestId('tree-kill').click()
    await expect.poll(async () => (await page.getByTestId('launch-exit').textContent()) ?? '', { timeout: 20_000 }).toMatch(/SIGKILL/)
    await page.getByTestId('process-tree-empty').waitFor({ timeout: 20_000 })
    // By pid, with signal 0: nothing of the tree is left (an unreaped zombie runs nothing and
    // does not count). The page may show the root's exit a moment before the kernel has torn
    // the last SIGKILLed child down, hence a poll rather than a single look.
    await expect.poll(() => survivorsBySignalZero(pids), { timeout: 10_000 }).toEqual([])
    await page.screenshot({ path: join(screenshotsDir, 'launch-tree-killed.png') })
  }, 90_000)

  it('counts down the grace period of a stop, then kills what ignored SIGTERM', async () => {
    await page.getByTestId('launch-command').fill(commandLine(process.execPath, fixturePath('ignore-sigterm.cjs')))
    await page.getByTestId('launch-button').click()
    await expect.poll(async () => (await page.getByTestId('process-log').textContent()) ?? '', { timeout: 20_000 }).toContain('ready')
    const [pid] = await shownPids(page)
    expect(pid).toBeGreaterThan(0)

    await page.getByTestId('tree-stop').click()
    await expect.poll(async () => (await page.getByTestId('grace-status').textContent()) ?? '', { timeout: 10_000 }).toMatch(/SIGTERM sent to the tree — SIGKILL in \d+ s/)
    await expect.poll(async () => (await page.getByTestId('process-log').textContent()) ?? '', { timeout: 10_000 }).toContain('ignored SIGTERM')
    await expect.poll(async () => (await page.getByTestId('launch-exit').textContent()) ?? '', { timeout: 30_000 }).toMatch(/SIGKILL/)
    expect(survivorsBySignalZero([pid])).toEqual([])
  }, 60_000)
})

describe.skipIf(!browserMode.isAvailable)(browserMode.suite('browser mode without --allow-launch'), () => {
  let browser: Browser
  let server: ChildProcess | undefined
  let url: string

  beforeAll(async () => {
    ;({ url, server } = await startServer())
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await stopServer(server)
  })

  it('says launching is off where the launch button would be, and refuses a launch sent anyway', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(tabUrl(url, 'processes'))
    await expect.poll(async () => (await page.getByTestId('launch-disabled-reason').textContent().catch(() => '')) ?? '', { timeout: 15_000 }).toContain(
      'poolscope serve --allow-launch'
    )
    expect(await page.getByTestId('launch-button').count()).toBe(0)
    expect(await page.getByTestId('launch-command').isDisabled()).toBe(true)
    await page.screenshot({ path: join(screenshotsDir, 'launch-refused.png') })

    // A page is not trusted: the server itself refuses, whatever the page shows.
    const reply = await page.evaluate(async () => {
      // Runs in the page; the test's types know Node's globals, not the browser's.
      const { location } = globalThis as unknown as { location: { search: string; host: string } }
      const token = new URLSearchParams(location.search).get('token') ?? ''
      const socket = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`)
      const answer = new Promise<unknown>((resolveReply) => {
        socket.onmessage = (event) => {
          const message = JSON.parse(String(event.data))
          if (message.kind === 'result' && message.id === 'e2e-launch') resolveReply(message.reply)
        }
      })
      await new Promise((resolveOpen, reject) => {
        socket.onopen = resolveOpen
        socket.onerror = reject
      })
      socket.send(JSON.stringify({ kind: 'invoke', id: 'e2e-launch', channel: 'launch:start', args: { argv: ['id'] } }))
      const result = await answer
      socket.close()
      return result
    })
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('--allow-launch') } })
    await page.close()
  }, 60_000)
})
