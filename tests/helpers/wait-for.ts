/**
 * Polls until a condition holds. The deadline is a generous safety net for a condition that is
 * expected to become true (a process gone, a worker replaced), never a measure of speed: a test
 * fails on it only when the behaviour is missing altogether.
 */
import { setTimeout as sleep } from 'node:timers/promises'

export const DEFAULT_DEADLINE_MS = 5_000

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { deadlineMs = DEFAULT_DEADLINE_MS, everyMs = 25 } = {}
): Promise<T> {
  const giveUpAt = Date.now() + deadlineMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting ${deadlineMs} ms for ${what}`)
    await sleep(everyMs)
  }
}
