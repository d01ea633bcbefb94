/**
 * When a process worker keeps its event loop turning for the pool's next request instead of
 * sleeping. On a VM, a thread that sleeps between quick messages is woken on a halted vCPU, which
 * costs tens of µs a wake-up; one that turns its loop (one `setImmediate` per turn, so each turn
 * polls its channel, and the turns {@link TURN_MS} apart) reads the message within a few µs of its
 * landing. The worker polls after answering (`worker-runtime.ts`) only while the requests follow
 * each other closely, and not where Linux says it shares its CPU with the pool's thread: there the
 * pool's write hands the CPU straight to the worker, and a worker that polls only holds the pool
 * back. Where the OS cannot tell, it polls.
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
 * The least time between two turns of the worker's poll window: each turn spins this long, reading
 * nothing, before it lets the event loop turn again. A turn of Node's loop (`setImmediate`, then a
 * poll of the channel) leaves about 300 bytes of garbage and took about 2 µs on the VM this was
 * measured on, so a worker that turned all through its window made 4–5 KB a round trip, three
 * quarters of all its garbage. Its young generation (about 1 MB: V8 never grew it for this
 * short-lived garbage) then filled every 150 or so round trips, and each collection (0.2 ms) held
 * up a request: 14 of W2's 2,000, most of the slowest 1 %. Spaced by 5 µs, the turns make a third
 * of that garbage; a request that lands during a spin waits for its end, 2.5 µs on average
 * (bench/README, "eighteenth session"). A larger young generation (`--min-semi-space-size`) cut
 * the collections further, but that flag on a worker's command line made its start-up about 15 ms
 * slower, whatever its size (1 MB as much as 4).
 */
export const TURN_MS = 0.005
/** How many rounds of the spin's loop go between two readings of the clock, which allocate. */
const SPIN_ROUNDS = 1024

/**
 * Keeps this thread busy for `ms`, allocating nothing but a clock reading every {@link SPIN_ROUNDS}
 * rounds. The loop's sum is compared with a value it can never take, so that V8 cannot drop it.
 */
function spin(ms: number): void {
  const end = performance.now() + ms
  let x = 0
  do for (let i = 0; i < SPIN_ROUNDS; i++) x = (x + i) | 0
  while (performance.now() < end && x !== 0.5)
}

/**
 * The worker's polling: its event loop keeps turning, one `setImmediate` a turn and no sooner than
 * {@link TURN_MS} after the last, while `isWaiting()` and until {@link POLL_MS} after the last `open`.
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
    if (this.isWaiting() && performance.now() < this.#until) {
      spin(TURN_MS)
      setImmediate(this.#turn)
    } else this.#isTurning = false
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
