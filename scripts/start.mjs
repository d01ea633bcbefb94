#!/usr/bin/env node
/**
 * `npm start` (after the build): the Electron app where Electron can run, browser mode where it
 * cannot. Electron cannot run when its binary was never downloaded (installs skip its install
 * script), or when the machine has no display or lacks its libraries; then it exits at once. In
 * either case this prints one line saying why and starts `poolscope serve` instead.
 *
 * The binary is located the way the `electron` package does it (its `path.txt`, honouring
 * ELECTRON_OVERRIDE_DIST_PATH), but without `require('electron')`: that module downloads the binary
 * when it is missing, which is not something starting an app should do.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** Electron that dies within this long of starting did not start (no display, missing libraries). */
const EARLY_EXIT_MS = 3000
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** The executable's name inside an Electron dist folder, per platform (as electron/install.js). */
function platformExecutable() {
  switch (process.platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'win32':
      return 'electron.exe'
    default:
      return 'electron'
  }
}

/** `{ path }` of the Electron binary, or `{ reason }` it cannot be used. */
export function locateElectron(env = process.env) {
  let packageDir
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron package is not installed' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable()
  const path = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : join(packageDir, 'dist', executable)
  if (!existsSync(path)) return { reason: `binary not installed: ${path} does not exist` }
  return { path }
}

/**
 * One Ctrl-C often reaches us twice: from the terminal (to the whole process group) and from npm,
 * which forwards it. Repeats within this window are that one press, not a second.
 */
const REPEAT_WINDOW_MS = 1000

/** Runs `child` to completion, forwarding our signals to it; resolves with its exit code. */
function supervise(child) {
  const lastForwarded = new Map()
  const forward = (signal) => {
    const now = Date.now()
    if (now - (lastForwarded.get(signal) ?? -Infinity) < REPEAT_WINDOW_MS) return
    lastForwarded.set(signal, now)
    child.kill(signal)
  }
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward)
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      for (const s of FORWARDED_SIGNALS) process.off(s, forward)
      resolve(code ?? 128 + (constants.signals[signal] ?? 0))
    })
  })
}

function startBrowserMode() {
  const child = spawn(process.execPath, [join(root, 'bin', 'poolscope.js'), 'serve', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit'
  })
  return supervise(child)
}

/**
 * Starts Electron. Resolves `{ code }` when it ran and exited, or `{ reason }` when it failed to
 * start: could not be spawned, or died non-zero within EARLY_EXIT_MS. Its stderr is held back for
 * that window, so a failed start prints our one line (with Electron's first complaint in it) rather
 * than a wall of Chromium noise; after it, stderr flows through.
 */
function startElectron(path) {
  return new Promise((resolve) => {
    const env = { ...process.env }
    // Set by some shells and tools; it would make Electron run as plain Node.
    delete env.ELECTRON_RUN_AS_NODE
    const child = spawn(path, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: ['inherit', 'inherit', 'pipe'] })
    let held = []
    let isEarly = true
    const timer = setTimeout(() => {
      isEarly = false
      for (const chunk of held) process.stderr.write(chunk)
      held = []
    }, EARLY_EXIT_MS)
    child.stderr.on('data', (chunk) => (isEarly ? held.push(chunk) : process.stderr.write(chunk)))
    child.on('error', (error) => {
      clearTimeout(timer)
      resolve({ reason: `could not run ${path}: ${error.message}` })
    })
    const exited = supervise(child)
    child.on('exit', (code, signal) => {
      if (isEarly && (code !== 0 || signal !== null)) {
        clearTimeout(timer)
        const complaint = Buffer.concat(held).toString('utf8').split('\n').find((line) => line.trim() !== '')
        const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`
        resolve({ reason: `Electron ${how} at startup${complaint ? `: ${complaint.trim()}` : ''}` })
        return
      }
      clearTimeout(timer)
      for (const chunk of held) process.stderr.write(chunk)
      void exited.then((exitCode) => resolve({ code: exitCode }))
    })
  })
}

async function main() {
  const located = locateElectron()
  if (located.path !== undefined) {
    const outcome = await startElectron(located.path)
    if (outcome.reason === undefined) return outcome.code
    process.stderr.write(`Electron cannot start here (${outcome.reason}); starting browser mode instead.\n`)
  } else {
    process.stderr.write(`Electron cannot start here (${located.reason}); starting browser mode instead.\n`)
  }
  return startBrowserMode()
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (error) => {
      process.stderr.write(`poolscope: ${error?.stack ?? error}\n`)
      process.exitCode = 1
    }
  )
}
