/**
 * Honest skips. A suite that needs a part this machine may lack (Chromium, an Electron binary, a
 * display, redis-server, the build, Linux's /proc) asks `skipUnless(...parts)`; when one is missing
 * the suite is skipped, its title says why, and ONE line says what was skipped and how to enable it:
 * printed on stderr at once and, under `npm test`, appended to the file `scripts/test.mjs` names in
 * POOLSCOPE_SKIP_LOG, so the closing summary can list every skip again.
 *
 *   const needs = skipUnless('chromium', 'build')
 *   describe.skipIf(!needs.isAvailable)(needs.suite('dashboard in browser mode'), () => { … })
 *
 * Nothing here imports the code under test or throws when the build is missing.
 */
import { accessSync, appendFileSync, constants, existsSync, mkdirSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { electronBinary } from './electron-binary'

const repoRoot = resolve(__dirname, '../..')

/** Environment variable naming the file skip lines are appended to (set by scripts/test.mjs). */
export const SKIP_LOG_ENV = 'POOLSCOPE_SKIP_LOG'

/** Where Chromium is looked for; CHROMIUM_PATH overrides. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** What a suite may need. */
export type Part = 'chromium' | 'electron' | 'display' | 'redis-server' | 'build' | 'posix' | 'proc-fd'

interface Check {
  /** Why the part is missing, or undefined when it is there. */
  missing(): string | undefined
  /** How to get it, as a command or a sentence. */
  enable: string
}

/** The first executable called `name` on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not here.
    }
  }
  return undefined
}

const BUILT = ['out/main/index.js', 'out/main/cli.js', 'out/main/worker.js', 'out/preload/index.js', 'out/renderer/index.html']

const checks: Record<Part, Check> = {
  chromium: {
    missing: () => (existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath}`),
    enable: 'apt-get install -y chromium xvfb (or set CHROMIUM_PATH)'
  },
  electron: {
    missing: () => {
      const binary = electronBinary()
      return 'reason' in binary ? binary.reason : undefined
    },
    enable: 'point ELECTRON_OVERRIDE_DIST_PATH at the folder of an Electron binary'
  },
  display: {
    missing: () =>
      process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'] ? 'no display (DISPLAY is unset)' : undefined,
    enable: 'run under xvfb-run -a (apt-get install -y xvfb)'
  },
  'redis-server': {
    missing: () => (findOnPath('redis-server') ? undefined : 'no redis-server on PATH'),
    enable: 'apt-get install -y redis-server'
  },
  build: {
    missing: () => {
      const absent = BUILT.find((file) => !existsSync(join(repoRoot, file)))
      return absent === undefined ? undefined : `the app is not built (${absent} missing)`
    },
    enable: 'npm run build'
  },
  posix: {
    missing: () => (process.platform === 'win32' ? 'needs POSIX signals and process groups' : undefined),
    enable: 'run on Linux or macOS'
  },
  'proc-fd': {
    missing: () => (existsSync('/proc/self/fd') ? undefined : 'no /proc/self/fd to count file descriptors in'),
    enable: 'run on Linux'
  }
}

/** Whether a suite can run here and, when it cannot, why and how to change that. */
export interface Requirement {
  readonly isAvailable: boolean
  /** Why it is skipped: the first missing part's reason. */
  readonly reason: string | undefined
  /** How to enable it. */
  readonly enable: string | undefined
  /**
   * The suite's title, with "(skipped: …)" when it skips; a skipping suite's line is reported here,
   * once per call, so call it once per suite.
   */
  suite(title: string): string
}

/** What the suite needs; see the module comment. */
export function skipUnless(...parts: Part[]): Requirement {
  let reason: string | undefined
  let enable: string | undefined
  for (const part of parts) {
    reason = checks[part].missing()
    if (reason !== undefined) {
      enable = checks[part].enable
      break
    }
  }
  return {
    isAvailable: reason === undefined,
    reason,
    enable,
    suite(title) {
      if (reason === undefined) return title
      reportSkip(title, reason, enable ?? '')
      return `${title} (skipped: ${reason})`
    }
  }
}

/** The one line a skip reports: what, why, and how to enable it. */
export function skipLine(what: string, reason: string, enable: string): string {
  return `skipped: ${what} (${reason}); to enable: ${enable}`
}

/**
 * Prints a skip's line on stderr and records it for the closing summary. For a part of a test that
 * is left out (a count not taken) as much as for a whole suite.
 */
export function reportSkip(what: string, reason: string, enable: string): void {
  const line = skipLine(what, reason, enable)
  process.stderr.write(`${line}\n`)
  const log = process.env[SKIP_LOG_ENV]
  if (!log) return
  mkdirSync(dirname(log), { recursive: true })
  // One short write with O_APPEND: lines from parallel test forks do not interleave.
  appendFileSync(log, `${line}\n`)
}
