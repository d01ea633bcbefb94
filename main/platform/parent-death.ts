/**
 * Worker processes must die with the pool's process, even by SIGKILL, even in a CPU loop. Where the
 * kernel can do that for us, this module says how: on Linux, util-linux's `setpriv --pdeathsig
 * KILL` sets the child's parent-death signal and then execs Node in place (same pid, same IPC
 * channel). Elsewhere, or without `setpriv`, it returns nothing and the worker starts its own
 * watchdog thread (`main/pool/worker-runtime.ts`), which works on every OS at a cost of ~10 MB and a
 * few ms of start-up per worker.
 *
 * Kept apart from `platform.ts` so the pool engine can use it without loading systeminformation.
 * The death signal follows the *thread* that forked the child: a pool created inside a
 * `worker_threads` thread has its process workers killed when that thread ends — also wanted.
 */
import { existsSync, realpathSync } from 'node:fs'

/** Set to "1" in a worker's environment when the kernel kills it with its parent. */
export const PARENT_DEATH_SIGNAL_ENV = 'POOLSCOPE_PARENT_DEATH_SIGNAL'
/** Set to "0" to always use the watchdog thread (and to test it). */
export const PARENT_DEATH_SIGNAL_OPT_OUT = 'POOLSCOPE_USE_PDEATHSIG'

const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv']

export interface ParentDeathLauncher {
  /** The program to exec instead of Node (it execs Node in turn). */
  execPath: string
  /** Arguments before Node's own `execArgv`: the launcher's flags, then Node's path. */
  prefix: string[]
}

let cached: ParentDeathLauncher | null | undefined

/** How to fork a child that dies with this process, or `undefined` where the OS offers no way. */
export function parentDeathLauncher(env: NodeJS.ProcessEnv = process.env): ParentDeathLauncher | undefined {
  if (process.platform !== 'linux' || env[PARENT_DEATH_SIGNAL_OPT_OUT] === '0') return undefined
  // Inside Electron, fork() runs the Electron binary as Node through its own patch; wrapping that
  // in another exec cannot be tried without an Electron binary here, so the app keeps the thread.
  if (process.versions.electron !== undefined) return undefined
  if (cached === undefined) cached = findSetpriv()
  return cached ?? undefined
}

function findSetpriv(): ParentDeathLauncher | null {
  for (const path of SETPRIV_PATHS) {
    if (!existsSync(path)) continue
    // BusyBox's setpriv (Alpine) has no --pdeathsig; util-linux's has had it since 2.33 (2018).
    if (/busybox/i.test(realpathSync(path))) return null
    return { execPath: path, prefix: ['--pdeathsig', 'KILL', process.execPath] }
  }
  return null
}
