/**
 * The Electron main process. It only wires features together; each lives in its own module and is
 * set up here in order: lockdown before any window exists, the app and IPC before the window
 * loads (so the page's first request finds its handler), shutdown that disposes the app.
 */
import { join } from 'node:path'
import { app, dialog, ipcMain, session } from 'electron'
import { createApp } from './app'
import { redisFromEnvironment } from './electron/redis-setting'
import { setupShutdown, setupSingleInstance } from './electron/app-lifecycle'
import { resolveRendererUrl, setupMainWindow } from './electron/main-window'
import { setupNavigationLockdown, setupSessionSecurity } from './electron/security'
import { setupIpc } from './electron/setup-ipc'
import { EventHub } from './ipc/event-hub'
import { rendererUrlMatcher } from './ipc/trusted-sender'

// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox()

if (!setupSingleInstance()) {
  app.quit()
} else {
  setupNavigationLockdown()
  app.whenReady().then(start).catch(fail)
}

async function start(): Promise<void> {
  const rendererUrl = resolveRendererUrl({
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
    isPackaged: app.isPackaged,
    indexHtmlPath: join(__dirname, '../renderer/index.html')
  })
  setupSessionSecurity(session.defaultSession, { rendererUrl })
  const hub = new EventHub()
  const poolscope = await createApp({ hub, mode: 'electron', allowLaunch: true, redis: redisFromEnvironment(process.env) })
  setupShutdown(() => poolscope.dispose())
  let windows: ReturnType<typeof setupMainWindow> | undefined
  setupIpc({
    ipcMain,
    dispatch: poolscope.dispatch,
    hub,
    getWindow: () => windows?.current(),
    isAllowedUrl: rendererUrlMatcher(rendererUrl),
    onRefused: (channel, url) => process.stderr.write(`poolscope: refused ${channel} from ${url ?? 'an unknown frame'}\n`)
  })
  windows = setupMainWindow({ preloadPath: join(__dirname, '../preload/index.js'), rendererUrl })
}

function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  dialog.showErrorBox('PoolScope could not start', message)
  app.exit(1)
}
