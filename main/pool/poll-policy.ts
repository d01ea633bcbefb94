/**
 * When a process worker keeps its event loop turning for the pool's next request instead of
 * sleeping. On a VM, a thread that sleeps between quick messages is woken on a halted vCPU, which
 * costs tens of µs a wake-up; one that turns its loop (one `setImmediate` per turn, so each turn
 * polls its channel) reads the message the moment it lands. The worker polls after answering
 * (`worker-runtime.ts`) only while the requests follow each other closely, and not where Linux says
 * it shares its CPU with the pool's thread: there the pool's write hands the CPU straight to the
 * worker, and a worker that polls only holds the pool back. Where the OS cannot tell, it polls.
 *
 * The pool's side never polls: its process is the user's own, and on a 2-vCPU VM a pool that also
 * polled for a lone unit's answer held the CPU its own V8 helper threads needed, which cost W2's
 * p99 more than it gave its p50 (bench/README, sixteenth session).
 */

/** How long the worker polls after its answer before it lets its event loop sleep. */
export const POLL_MS = 0.1
/**
 * Requests that follow the last answer within this long (wake-ups included, two per round trip
 * when a side slept: about 0.1 ms on this VM) are a stream worth polling for; further apart (a
 * cluster slot between jobs, say), polling would only take CPU others may need.
 */
export const QUICK_GAP_MS = 0.2
/**
 * How long a reading of whether the worker shares the pool's CPU is trusted. The kernel moves
 * threads between CPUs now and then, and a worker polling on the pool's CPU delays every round
 * trip until the next reading; so it is short, and read again soon after a request that came
 * slowly ({@link SLOW_MS}).
 */
export const PLACEMENT_TRUSTED_MS = 1
/** A request slower than this after the answer (over half the poll window) has the placement read again soon. */
export const SLOW_MS = POLL_MS / 2
/**
 * The most of the worker's time its placement readings may take. A reading is two reads of `/proc`,
 * whose cost depends on the host: about 2 µs each on the VM these values were first measured on,
 * 6 µs on another, where every message was slower than {@link SLOW_MS}. There both sides (the pool
 * then polled too) read the placement again at once on every round trip: 12 µs of each side's CPU
 * per round trip, about a sixth of it (bench/README, thirteenth session). Each reading is timed,
 * and a distrusted one is read again no sooner than its last reading's cost ÷ this share after it.
 * A reading that is merely old is still read again after {@link PLACEMENT_TRUSTED_MS}.
 */
export const PLACEMENT_READ_SHARE = 0.02

/**
 * The worker's polling: its event loop keeps turning, one `setImmediate` a turn, while `isWaiting()`
 * and until {@link POLL_MS} after the last `open`.
 */
export class PollWindow {
  #until = 0
  #isTurning = false

  constructor(private readonly isWaiting: () => boolean) {}

  open(now = performance.now()): void {
    this.#until = now + POLL_MS
    if (this.#isTurning) return
    this.#isTurning = true
    setImmediate(this.#turn)
  }

  #turn = (): void => {
    if (this.isWaiting() && performance.now() < this.#until) setImmediate(this.#turn)
    else this.#isTurning = false
  }
}

/**
 * Whether the two sides share a CPU as `read` says (`undefined` where the OS cannot tell): read
 * again once the last reading is older than {@link PLACEMENT_TRUSTED_MS}, or sooner after
 * `distrust`, but never sooner than the last reading's cost allows ({@link PLACEMENT_READ_SHARE}).
 * `clock` times the reads (tests give a fake one).
 */
export class PlacementReading {
  #sharesCpu: boolean | undefined
  #readAt = -Infinity
  #distrusted = false
  /** How soon after a reading a distrusted one may be read again: the reading's cost ÷ the share. */
  #spacing = 0

  constructor(
    private readonly read: () => boolean | undefined,
    private readonly clock: () => number = () => performance.now()
  ) {}

  sharesCpu(now: number): boolean | undefined {
    const age = now - this.#readAt
    if (age > PLACEMENT_TRUSTED_MS || (this.#distrusted && age >= this.#spacing)) {
      const started = this.clock()
      this.#sharesCpu = this.read()
      // A reading the kernel preempted spaces the next one far, but never past the trusted period.
      this.#spacing = (this.clock() - started) / PLACEMENT_READ_SHARE
      this.#readAt = now
      this.#distrusted = false
    }
    return this.#sharesCpu
  }

  distrust(): void {
    this.#distrusted = true
  }
}
