/**
 * Items an owner has handed to a worker whose receipt the worker has not confirmed yet.
 *
 * A reply to a worker is fire-and-forget: if the worker dies before reading it, the item is gone
 * unless someone remembers it. So an owner files every hand-over here, the proxy confirms receipt
 * as soon as the item arrives (before its caller sees it), and when a worker ends, whatever it
 * never confirmed goes back to the owner. An item is therefore either received by a worker (and
 * then it is that worker's, as in Python) or given back — never both, never neither.
 */
export class UnconfirmedDeliveries<T> {
  #nextId = 1
  readonly #byId = new Map<number, { key: string; item: T }>()

  /** Items handed out and not confirmed, now. */
  get size(): number {
    return this.#byId.size
  }

  /** Files `item` as handed to the worker under `key`; returns the delivery id the worker confirms. */
  hand(key: string, item: T): number {
    const id = this.#nextId++
    this.#byId.set(id, { key, item })
    return id
  }

  /** The worker received delivery `id`; true if it was outstanding. */
  confirm(id: number, key: string): boolean {
    const entry = this.#byId.get(id)
    // Only the worker it was handed to may confirm it.
    if (!entry || entry.key !== key) return false
    this.#byId.delete(id)
    return true
  }

  /** Removes and returns, in hand-over order, what `key` was handed and never confirmed. */
  takeLost(key: string): T[] {
    const lost: T[] = []
    // Map iteration follows insertion order, which is hand-over order.
    for (const [id, entry] of this.#byId) {
      if (entry.key !== key) continue
      lost.push(entry.item)
      this.#byId.delete(id)
    }
    return lost
  }

  clear(): void {
    this.#byId.clear()
  }
}
