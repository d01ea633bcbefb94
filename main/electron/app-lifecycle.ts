/**
 * When the app starts and stops: one instance at a time, quit when the window closes, and every
 * pool, worker and launched tree stopped before the process exits.
 */
import { app } from 'electron'

/**
 * Takes the single-instance lock. Returns false when another PoolScope already holds it; that one is
 * told (`second-instance`) and focuses its window, and this one should quit.
 */
export function setupSingleInstance(): boolean {
  return app.requestSingleInstanceLock()
}

/**
 * Quits when the window closes (on every platform: the lab holds running pools, and leaving them
 * running with no window would be surprising), and holds the quit until `dispose` has stopped
 * everything. SIGINT/SIGTERM from a terminal quit the same way.
 */
export function setupShutdown(dispose: () => Promise<void>): void {
  let state: 'running' | 'disposing' | 'disposed' = 'running'
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    if (state === 'disposed') return
    event.preventDefault()
    if (state === 'disposing') return
    state = 'disposing'
    dispose()
      .catch((error: unknown) => process.stderr.write(`poolscope: shutdown was not clean: ${String(error)}\n`))
      .finally(() => {
        state = 'disposed'
        app.quit()
      })
  })
  // `on`, not `once`: one Ctrl-C can arrive twice (terminal and npm), and the default action of a
  // second delivery would kill the process before `dispose` finished. Quitting twice is harmless.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
}
