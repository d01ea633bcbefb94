/**
 * `poolscope serve` without the command line: creates the application, serves it to a browser,
 * and prints the dashboard URL as the first line of stdout (scripts and tests wait for it). The
 * app factory is injected so this runs with any `App`.
 */
import type { App, AppOptions } from '../app'
import { EventHub } from '../ipc/event-hub'
import { startServer } from './start-server'

/** The first stdout line's prefix; the URL follows. */
export const DASHBOARD_LINE_PREFIX = 'PoolScope dashboard: '

/** Where and how to serve; see `poolscope serve --help`. */
export interface BrowserModeOptions {
  host: string
  port: number
  allowLaunch: boolean
  rendererDir: string
  /** A fixed token (tests); a fresh random one by default. */
  token?: string
}

/** What browser mode is built from: the app factory and the output streams. */
export interface BrowserModeDeps {
  createApp(options: Pick<AppOptions, 'hub' | 'mode' | 'allowLaunch'>): App | Promise<App>
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

/** A running browser mode. */
export interface BrowserMode {
  url: string
  /** Closes the server and its connections, then disposes the app (pools, workers, …). */
  close(): Promise<void>
}

/** Starts browser mode; on failure, whatever was already started is disposed before rethrowing. */
export async function startBrowserMode(options: BrowserModeOptions, deps: BrowserModeDeps): Promise<BrowserMode> {
  const hub = new EventHub({
    onListenerError: (error, channel) => deps.stderr.write(`poolscope: a ${channel} listener failed: ${String(error)}\n`)
  })
  const app = await deps.createApp({ hub, mode: 'browser', allowLaunch: options.allowLaunch })
  let server
  try {
    server = await startServer({
      host: options.host,
      port: options.port,
      token: options.token,
      rendererDir: options.rendererDir,
      dispatch: app.dispatch,
      hub,
      allowLaunch: options.allowLaunch,
      warn: (message) => deps.stderr.write(`poolscope: warning: ${message}\n`)
    })
  } catch (error) {
    await app.dispose()
    throw error
  }
  deps.stdout.write(`${DASHBOARD_LINE_PREFIX}${server.url}\n`)
  let closing: Promise<void> | undefined
  return {
    url: server.url,
    close() {
      closing ??= server.close().finally(() => app.dispose())
      return closing
    }
  }
}
