/**
 * The Electron shell's cluster setting: `POOLSCOPE_REDIS=redis://HOST:PORT` in the environment the
 * app starts in (the app has no settings window; `poolscope serve --redis URL` is browser mode's
 * equivalent). A value that is not a Redis URL stops the start-up with the reason, URL masked.
 */
import { parseRedisUrl, type RedisTarget } from '../cluster/redis-url'

export const REDIS_ENV = 'POOLSCOPE_REDIS'

/** The cluster named in the environment, or undefined when none is (empty counts as none). */
export function redisFromEnvironment(env: Record<string, string | undefined>): RedisTarget | undefined {
  const value = env[REDIS_ENV]?.trim()
  if (!value) return undefined
  try {
    return parseRedisUrl(value)
  } catch (error) {
    throw new Error(`${REDIS_ENV}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}
