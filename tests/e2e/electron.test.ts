/**
 * The real Electron app, end to end, through Playwright. It needs an Electron binary (the electron
 * package's `dist/`, or ELECTRON_OVERRIDE_DIST_PATH), the built app (`npm run build`) and, on Linux,
 * a display; without any of them the suite is reported skipped with the reason in its name.
 */
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { electronBinary } from '../helpers/electron-binary'
import { skipUnless } from '../helpers/skip'

const root = resolve(__dirname, '../..')

const needs = skipUnless('electron', 'build', 'display')

describe.skipIf(!needs.isAvailable)(needs.suite('the Electron app'), () => {
  let app: ElectronApplication
  let page: Page

  beforeAll(async () => {
    const binary = electronBinary() as { path: string }
    app = await _electron.launch({ executablePath: binary.path, args: [root], cwd: root })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  })

  afterAll(async () => {
    await app?.close()
  })

  it('opens one hardened window showing the built renderer', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows()
      // Undocumented but long-standing (Electron's own specs use it); absent from the typings.
      const contents = windows[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }
      const prefs = contents.getLastWebPreferences()
      return { count: windows.length, contextIsolation: prefs?.contextIsolation, sandbox: prefs?.sandbox, nodeIntegration: prefs?.nodeIntegration, webSecurity: prefs?.webSecurity }
    })
    expect(prefs).toEqual({ count: 1, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/)
  })

  it('gives the page named API methods and no Node', async () => {
    const shape = await page.evaluate(() => {
      const api = (globalThis as unknown as Record<string, Record<string, Record<string, unknown>>>)['poolscope']!
      return {
        runStart: typeof api['run']?.['start'],
        on: typeof api['on'],
        require: typeof (globalThis as Record<string, unknown>)['require'],
        process: typeof (globalThis as Record<string, unknown>)['process']
      }
    })
    expect(shape).toEqual({ runStart: 'function', on: 'function', require: 'undefined', process: 'undefined' })
  })

  it('answers app:info as the Electron app', async () => {
    const info = await page.evaluate(() => (globalThis as unknown as { poolscope: { app: { info(): Promise<{ mode: string }> } } }).poolscope.app.info())
    expect(info.mode).toBe('electron')
  })

  it('refuses a malformed request with its structured payload intact across the bridge', async () => {
    const refusal = await page.evaluate(() =>
      (globalThis as unknown as { poolscope: { run: { start(args: unknown): Promise<unknown> } } }).poolscope.run
        .start({ taskId: 'sum', workers: 0 })
        .then(
          () => 'resolved',
          (error: { message: string; payload?: { code: string; issues?: unknown } }) => ({
            message: error.message,
            code: error.payload?.code,
            issues: error.payload?.issues
          })
        )
    )
    expect(refusal).toEqual({
      message: 'workers: must be an integer ≥ 1',
      code: 'invalid-payload',
      issues: [{ path: 'workers', message: 'must be an integer ≥ 1' }]
    })
  })

  it('denies window.open and blocks navigation', async () => {
    const before = page.url()
    type Browserish = { open(url: string): unknown; location: { href: string } }
    const isDenied = await page.evaluate(() => (globalThis as unknown as Browserish).open('https://example.com') === null)
    expect(isDenied).toBe(true)
    await page.evaluate(() => {
      ;(globalThis as unknown as Browserish).location.href = 'https://example.com/'
    })
    expect(page.url()).toBe(before)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })
})
