/**
 * `poolscope serve`: the dashboard in a browser instead of the Electron window. The first stdout
 * line is exactly `PoolScope dashboard: <url>`; Ctrl-C or SIGTERM closes the server and disposes
 * every pool and worker. A second Ctrl-C during a slow shutdown exits at once.
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { openInBrowser } from '../server/open-browser'
import { DEFAULT_HOST, parseServeOptions, type ServeFlags } from '../server/serve-options'

/**
 * The built renderer. This file is bundled into `out/main/cli.js`, so `__dirname` is `out/main`
 * (see electron.vite.config.ts on shared chunks).
 */
const BUILT_RENDERER_DIR = resolve(__dirname, '../renderer')

/** Registers `serve` on the program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the dashboard to a web browser (browser mode) until Ctrl-C.')
    .option('--host <host>', 'interface to listen on; anything but loopback is reachable from the network', DEFAULT_HOST)
    .option('--port <port>', 'port to listen on; 0 picks a free one', '0')
    .option('--allow-launch', 'allow the dashboard to launch and benchmark arbitrary commands', false)
    .option('--open', 'open the dashboard in the default browser', false)
    .option('--renderer-dir <dir>', 'serve this renderer build instead of out/renderer')
    .option('--redis <url>', 'show the cluster whose Redis is at URL, and let the dashboard run on it (hosts join with `poolscope worker --redis URL`)')
    .action(async (flags: ServeFlags) => {
      const options = parseServeOptions(flags, { rendererDir: BUILT_RENDERER_DIR })
      const stderr = process.stderr
      // Listen before the URL is printed: a caller may signal as soon as it reads that line.
      const stopSignal = nextSignal(['SIGINT', 'SIGTERM', 'SIGHUP'])
      // Loaded here, not at the top: no other command needs the app's features (nor, with --redis,
      // BullMQ), nor the server's WebSocket library.
      const { createApp } = await import('../app')
      const { startBrowserMode } = await import('../server/browser-mode')
      const session = await startBrowserMode(options, {
        createApp: (app) => createApp({ ...app, redis: options.redis }),
        stdout: process.stdout,
        stderr
      })
      if (options.open) openInBrowser(session.url, (message) => stderr.write(`poolscope: ${message}\n`))
      const signal = await stopSignal
      stderr.write(`poolscope: ${signal}, shutting down…\n`)
      await session.close()
    })
}

/**
 * One Ctrl-C often arrives twice, from the terminal and from npm forwarding it; repeats within this
 * window are that same press. A signal after it forces the exit.
 */
const REPEAT_WINDOW_MS = 1000

/**
 * Resolves with the first of `signals`. Handlers stay installed so that a later, deliberate second
 * signal kills the process even if shutdown hangs.
 */
function nextSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let firstAt: number | undefined
    const onSignal = (signal: NodeJS.Signals) => {
      const now = Date.now()
      if (firstAt === undefined) {
        firstAt = now
        resolveSignal(signal)
      } else if (now - firstAt >= REPEAT_WINDOW_MS) {
        process.stderr.write(`poolscope: ${signal} again, exiting without waiting for shutdown\n`)
        process.exit(130)
      }
    }
    for (const s of signals) process.on(s, onSignal)
  })
}
