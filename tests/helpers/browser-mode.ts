/**
 * Browser mode for end-to-end tests: `poolscope serve` started as users start it, and Debian's
 * Chromium driven by playwright-core. A test file skips itself unless `browserMode` is available
 * (Chromium and the build; CI installs and builds both), saying so through `browserMode.suite()`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type Browser } from 'playwright-core'
import { chromiumPath, skipUnless } from './skip'

// Not from ./paths: that module throws when the build is missing, and these tests skip instead.
const repoRoot = resolve(__dirname, '../..')
const cliBin = join(repoRoot, 'bin/poolscope.js')

/** Whether browser-mode tests can run here: Chromium and the built app. */
export const browserMode = skipUnless('chromium', 'build')

/** Where end-to-end tests save their screenshots. */
export const screenshotsDir = join(repoRoot, 'test-results', 'screenshots')

/**
 * Starts `poolscope serve --port 0 …args` (with `env` added to this environment) and resolves to
 * the tokened URL from its first line.
 */
export async function startServer(args: string[] = [], env: Record<string, string> = {}): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [cliBin, 'serve', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: server.stdout! })
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine)
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })
  const match = /^PoolScope dashboard: (\S+)$/.exec(first)
  if (!match) throw new Error(`unexpected first line: ${first}`)
  return { url: match[1], server }
}

/** Stops a server the way Ctrl-C would and waits for it to exit (it stops what it launched). */
export async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolveExit) => server.once('exit', resolveExit))
  server.kill('SIGTERM')
  await exited
}

/** Headless Chromium with what it must not do here (sandbox, GPU, network chatter) turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

/** The page URL that opens one of the app's tabs, keeping the token. */
export function tabUrl(url: string, tab: 'dashboard' | 'speedup' | 'processes'): string {
  const page = new URL(url)
  page.hash = tab
  return page.toString()
}
