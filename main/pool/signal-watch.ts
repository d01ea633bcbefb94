/**
 * One `'abort'` listener per signal, however many units it covers.
 *
 * Adding a listener to an `AbortSignal` that already holds n costs O(n) in Node (its
 * `EventTarget` scans for duplicates), so a listener per unit made a 100,000-input map with a
 * signal quadratic. Here a signal gets one listener while any unit it covers is pending; the
 * units are kept in a set (insertion order, so an abort settles them in submission order), and
 * the listener is removed when the last of them settles.
 */
export class SignalWatch<T> {
  readonly #watched = new Map<AbortSignal, { units: Set<T>; onAbort: () => void }>()
  readonly #abortAll: (units: T[], signal: AbortSignal) => void

  /** `abortAll` receives every still-pending unit of a signal once, when it aborts. */
  constructor(abortAll: (units: T[], signal: AbortSignal) => void) {
    this.#abortAll = abortAll
  }

  /** Watches `unit` until it is {@link release}d or `signal` aborts. */
  add(signal: AbortSignal, unit: T): void {
    const entry = this.#watched.get(signal)
    if (entry) {
      entry.units.add(unit)
      return
    }
    const units = new Set<T>([unit])
    const onAbort = () => {
      this.#watched.delete(signal)
      this.#abortAll([...units], signal)
    }
    this.#watched.set(signal, { units, onAbort })
    signal.addEventListener('abort', onAbort, { once: true })
  }

  /** Stops watching `unit` (it settled); the signal's listener goes with its last unit. */
  release(signal: AbortSignal, unit: T): void {
    const entry = this.#watched.get(signal)
    if (!entry?.units.delete(unit) || entry.units.size > 0) return
    this.#watched.delete(signal)
    signal.removeEventListener('abort', entry.onAbort)
  }
}
