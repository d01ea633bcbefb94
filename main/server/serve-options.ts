/**
 * `poolscope serve` flags, checked by name before anything starts, so a typo exits 2 with the
 * reason instead of half-starting a server.
 */
import { redisTargetFlag } from '../cli/options'
import { UsageError } from '../cli/usage-error'
import type { RedisTarget } from '../cluster/redis-url'
import type { BrowserModeOptions } from './browser-mode'

/** The flags as commander hands them over (strings, booleans, or absent). */
export interface ServeFlags {
  host?: unknown
  port?: unknown
  allowLaunch?: unknown
  open?: unknown
  rendererDir?: unknown
  redis?: unknown
}

/** Checked `serve` flags. */
export interface ServeOptions extends BrowserModeOptions {
  /** Open the dashboard in the default browser once it is up. */
  open: boolean
  /** The cluster the dashboard shows and can run on; none: no connection to Redis at all. */
  redis: RedisTarget | undefined
}

/** Loopback: the dashboard stays on this machine unless `--host` says otherwise. */
export const DEFAULT_HOST = '127.0.0.1'

/** Validates flags; throws `UsageError` naming the flag and what it must be. */
export function parseServeOptions(flags: ServeFlags, defaults: { rendererDir: string }): ServeOptions {
  const host = flags.host === undefined ? DEFAULT_HOST : String(flags.host).trim()
  if (host === '' || /[\s/?#@]/.test(host)) throw new UsageError(`--host must be a host name or IP address, got '${String(flags.host)}'`)
  const port = parsePort(flags.port)
  const rendererDir = flags.rendererDir === undefined ? defaults.rendererDir : String(flags.rendererDir)
  if (rendererDir === '') throw new UsageError('--renderer-dir must not be empty')
  const redis = flags.redis === undefined ? undefined : redisTargetFlag(String(flags.redis))
  return { host, port, rendererDir, allowLaunch: flags.allowLaunch === true, open: flags.open === true, redis }
}

function parsePort(value: unknown): number {
  if (value === undefined) return 0
  const text = String(value).trim()
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535 (0 picks a free port), got '${String(value)}'`)
  }
  return port
}
