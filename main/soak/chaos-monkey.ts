/**
 * Kills workers at random moments while the soak runs, busy ones by preference (a kill that lands
 * on an idle worker tests little). What "kill" means differs by backend, and the counts keep them
 * apart:
 *   - process: `SIGKILL` sent to the worker's pid from outside, as the OOM killer or `kill -9`
 *     would; the pool learns of it only from the exit.
 *   - thread: a thread cannot be signalled on its own, so `Pool.killWorker(slot)`, which calls
 *     `Worker.terminate()`: the thread stops at its next JavaScript instruction, even in a loop.
 */
import { signalProcess } from '../platform/index'
import type { Pool } from '../pool/index'
import type { SeededChoices } from './seeded-choices'

export interface KillCounts {
  /** Worker processes sent SIGKILL (and alive when it was sent). */
  process: number
  /** Worker threads terminated through `Pool.killWorker`. */
  thread: number
}

export interface ChaosMonkeyOptions {
  /** Mean time between two kills, ms: each gap is uniform in `1 … 2·meanGapMs`; 0 kills nothing. */
  meanGapMs: number
  /**
   * Whether workers still starting may be killed. Off by default for now: the engine counts a
   * worker killed from outside during start-up as a worker that cannot start, and after three in
   * a row it stops replacing workers and fails all work with `WorkerStartError` for good
   * (tests/storms/kill-during-start.test.ts). Turn it on once the engine tells the two apart.
   */
  canKillStarting: boolean
}

export class ChaosMonkey {
  readonly killed: KillCounts = { process: 0, thread: 0 }
  #timer: NodeJS.Timeout | undefined

  /** Kills one worker of a pool picked at random, at random moments. */
  constructor(
    readonly pools: readonly Pool[],
    readonly random: SeededChoices,
    readonly options: ChaosMonkeyOptions
  ) {}

  start(): void {
    const { meanGapMs } = this.options
    if (meanGapMs <= 0) return
    const next = () => {
      this.#timer = setTimeout(() => {
        this.killOne()
        next()
      }, this.random.int(1, 2 * meanGapMs))
    }
    next()
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Kills one worker now; false when the chosen pool had none to kill. */
  killOne(): boolean {
    const pool = this.random.pick(this.pools)
    if (pool.state !== 'running') return false
    const killable = (state: string) => state === 'busy' || state === 'idle' || (state === 'starting' && this.options.canKillStarting)
    const live = pool.snapshot().workers.filter((w) => killable(w.state))
    const busy = live.filter((w) => w.state === 'busy')
    const candidates = busy.length > 0 ? busy : live
    if (candidates.length === 0) return false
    const victim = this.random.pick(candidates)
    if (pool.backend === 'thread') {
      if (pool.killWorker(victim.id) === undefined) return false
      this.killed.thread++
      return true
    }
    // False: gone already (it exited between the snapshot and the kill).
    if (victim.pid === undefined || !signalProcess(victim.pid, 'kill')) return false
    this.killed.process++
    return true
  }
}
