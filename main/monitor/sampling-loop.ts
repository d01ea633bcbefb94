import { EventEmitter } from 'node:events'
import type { Cancel, Clock } from './clock'

/** Slowest sampling rate, Hz (the contract's `monitor:configure` allows the same range). */
export const MIN_RATE_HZ = 0.1
/** Fastest sampling rate, Hz. */
export const MAX_RATE_HZ = 10

/**
 * Returns `rateHz` if it is a usable sampling rate.
 * @throws RangeError outside {@link MIN_RATE_HZ}..{@link MAX_RATE_HZ} (NaN included).
 */
export function checkRateHz(rateHz: number): number {
  if (!(rateHz >= MIN_RATE_HZ && rateHz <= MAX_RATE_HZ)) {
    throw new RangeError(`rateHz must be between ${MIN_RATE_HZ} and ${MAX_RATE_HZ}, got ${rateHz}`)
  }
  return rateHz
}

/** What a {@link SamplingLoop} reads, how often and on which clock. */
export interface SamplingLoopOptions<T> {
  clock: Clock
  /** Time from the end of one reading (or from `start()`) to the next. */
  intervalMs: number
  /**
   * Takes one reading. `isCurrent()` turns false once the loop is stopped after the reading began:
   * a reading that should not outlive `stop()` checks it before recording or emitting anything.
   */
  read: (isCurrent: () => boolean) => Promise<T>
  /** A scheduled reading failed (that reading is skipped, the next one is still scheduled). */
  onError: (err: Error) => void
  /** Take the first reading at `start()` rather than one interval later; default false. */
  readsAtStart?: boolean
}

/**
 * The timer shared by the samplers and the tree watcher: one reading at a time, the next one due
 * an interval after the previous one ended, an interval change taking effect at once, and nothing
 * left scheduled once stopped.
 *
 * The next timer is armed only when a reading ends, so readings never overlap however slow one is,
 * and a reading asked for between ticks ({@link readNow}) shares the one in flight.
 */
export class SamplingLoop<T> {
  private readonly clock: Clock
  private readonly read: SamplingLoopOptions<T>['read']
  private readonly onError: SamplingLoopOptions<T>['onError']
  private readonly readsAtStart: boolean
  private interval: number
  private running = false
  private cancelNext: Cancel | undefined
  private inFlight: Promise<T> | undefined
  /** When the last reading ended, or the loop started: the next one is due an interval later. */
  private markMs = 0
  /** Bumped by stop(), so a reading begun before it knows it is stale. */
  private generation = 0

  constructor(options: SamplingLoopOptions<T>) {
    this.clock = options.clock
    this.read = options.read
    this.onError = options.onError
    this.readsAtStart = options.readsAtStart ?? false
    this.interval = options.intervalMs
  }

  get isRunning(): boolean {
    return this.running
  }

  get intervalMs(): number {
    return this.interval
  }

  /** Starts the loop; calling it while running does nothing. */
  start(): void {
    if (this.running) return
    this.running = true
    this.markMs = this.clock.now()
    if (this.inFlight !== undefined) return // its end arms the next timer
    if (this.readsAtStart) this.tick()
    else this.scheduleNext()
  }

  /** Stops the loop; no timer is left behind, and a reading in flight is told it is stale. */
  stop(): void {
    this.running = false
    this.generation += 1
    this.cancelNext?.()
    this.cancelNext = undefined
  }

  /**
   * Changes the interval at once: the next reading is due one new interval after the previous one
   * ended (or now, if that moment has passed).
   */
  setIntervalMs(intervalMs: number): void {
    this.interval = intervalMs
    if (this.running && this.inFlight === undefined) this.scheduleNext()
  }

  /** Takes a reading now (sharing one in flight); the loop's next one is due an interval after it. */
  readNow(): Promise<T> {
    if (this.inFlight !== undefined) return this.inFlight
    this.cancelNext?.()
    this.cancelNext = undefined
    const generation = this.generation
    this.inFlight = this.read(() => generation === this.generation).finally(() => {
      this.inFlight = undefined
      this.markMs = this.clock.now()
      if (this.running) this.scheduleNext()
    })
    return this.inFlight
  }

  private scheduleNext(): void {
    this.cancelNext?.()
    const dueMs = this.markMs + this.interval
    this.cancelNext = this.clock.schedule(() => this.tick(), Math.max(0, dueMs - this.clock.now()))
  }

  private tick(): void {
    this.cancelNext = undefined
    if (!this.running) return
    const generation = this.generation
    this.readNow().catch((err: unknown) => {
      // A failed reading (a transient /proc error) skips one tick; one that failed after stop()
      // carries no news.
      if (generation === this.generation) this.onError(err instanceof Error ? err : new Error(String(err)))
    })
  }
}

/**
 * An emitter driven by a {@link SamplingLoop} (the samplers, the tree watcher): start, stop and
 * dispose go to the loop, and a failed scheduled reading becomes an `error` event when someone
 * listens (with nobody listening it is dropped rather than crashing the main process).
 */
export abstract class LoopedEmitter<E extends Record<keyof E, unknown[]> & { error: [Error] }>
  extends EventEmitter<E>
  implements Disposable
{
  protected abstract readonly loop: SamplingLoop<unknown>

  get isRunning(): boolean {
    return this.loop.isRunning
  }

  /** Starts reading at the loop's interval; calling it while running does nothing. */
  start(): void {
    this.loop.start()
  }

  /** Stops; no timer is left behind, and a reading in flight is told it is stale. */
  stop(): void {
    this.loop.stop()
  }

  [Symbol.dispose](): void {
    this.stop()
  }

  /** The loop's `onError`. */
  protected readonly reportError = (err: Error): void => {
    // The event map is generic here: 'error' is known to carry one Error, the compiler cannot see it.
    const emitter = this as unknown as EventEmitter
    if (emitter.listenerCount('error') > 0) emitter.emit('error', err)
  }
}
