/**
 * A handler for every request channel of the contract (read from its channel list, so a new
 * channel is counted without a change here) that only counts its runs, so a fuzz test can prove
 * that a refused payload ran nothing and a valid one ran exactly once. Each answers
 * `{ channel, args }`, the validated arguments it was given.
 */
import { requestChannels, type RequestChannel } from '../../shared/contract'
import type { Handlers } from '../../main/ipc/handlers'

/** Handlers that count; `runs(channel)` is how often that channel's handler has run so far. */
export interface CountingHandlers {
  handlers: Handlers
  runs(channel: RequestChannel): number
  /** Runs over all channels. */
  totalRuns(): number
}

export function createCountingHandlers(): CountingHandlers {
  const counts = new Map<string, number>()
  const handlers = Object.fromEntries(
    requestChannels.map((channel) => [
      channel,
      (args: unknown) => {
        counts.set(channel, (counts.get(channel) ?? 0) + 1)
        return { channel, args }
      }
    ])
  ) as unknown as Handlers
  return {
    handlers,
    runs: (channel) => counts.get(channel) ?? 0,
    totalRuns: () => [...counts.values()].reduce((sum, n) => sum + n, 0)
  }
}
