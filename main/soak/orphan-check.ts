/**
 * After the soak has closed its pools, no worker process may be left: neither a child of this
 * process nor any worker pid the pools ever reported, which catches a worker that escaped to
 * another parent as well. Exits land a moment after `join()` resolves and the kernel reaps
 * killed processes asynchronously, so the check polls up to a bound before it counts.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { descendantsOf, isProcessAlive, signalProcess } from '../platform/index'

/** How long processes get to disappear after the pools are closed. */
export const ORPHAN_DEADLINE_MS = 2_000
const POLL_MS = 50

/** Pids still alive: `seenPids` and this process's descendants, polled until none or the deadline. */
export async function findOrphans(seenPids: Iterable<number>, deadlineMs = ORPHAN_DEADLINE_MS): Promise<number[]> {
  const giveUpAt = Date.now() + deadlineMs
  const seen = [...seenPids]
  for (;;) {
    const alive = new Set(seen.filter(isProcessAlive))
    for (const pid of await descendantsOf(process.pid)) if (isProcessAlive(pid)) alive.add(pid)
    if (alive.size === 0 || Date.now() >= giveUpAt) return [...alive].sort((a, b) => a - b)
    await sleep(POLL_MS)
  }
}

/** Kills what `findOrphans` found, so that a failed soak does not leave them behind either. */
export function killOrphans(pids: readonly number[]): void {
  for (const pid of pids) signalProcess(pid, 'kill')
}
