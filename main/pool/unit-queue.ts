/**
 * The pool's queue of units waiting for a worker. An interface with one implementation, so a
 * priority or fair-share queue can replace it without touching the pool.
 */
export interface UnitQueue<T> {
  readonly size: number
  push(item: T): void
  /** Puts an item back at the head (a unit whose worker died before it started). */
  unshift(item: T): void
  shift(): T | undefined
  peek(): T | undefined
  /** Removes one item wherever it is; true if it was queued. */
  remove(item: T): boolean
  /** Removes every queued item of `items` in one pass; returns how many were queued. */
  removeAll(items: ReadonlySet<T>): number
}

/**
 * A growable ring buffer: O(1) push/shift/unshift without `Array.prototype.shift`'s O(n) copy,
 * which dominates once 100,000 units are queued at once. Any FIFO can use it (the queues and
 * pipes of `primitives/` do).
 */
export class RingQueue<T> implements UnitQueue<T> {
  #items: (T | undefined)[] = new Array(64)
  #head = 0
  #size = 0

  get size(): number {
    return this.#size
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow()
    this.#items[(this.#head + this.#size) % this.#items.length] = item
    this.#size++
  }

  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow()
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length
    this.#items[this.#head] = item
    this.#size++
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head = (this.#head + 1) % this.#items.length
    this.#size--
    return item
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head]
  }

  remove(item: T): boolean {
    const n = this.#items.length
    for (let i = 0; i < this.#size; i++) {
      if (this.#items[(this.#head + i) % n] !== item) continue
      // Close the gap by moving the tail one step towards the head.
      for (let j = i; j < this.#size - 1; j++) {
        this.#items[(this.#head + j) % n] = this.#items[(this.#head + j + 1) % n]
      }
      this.#items[(this.#head + this.#size - 1) % n] = undefined
      this.#size--
      return true
    }
    return false
  }

  removeAll(items: ReadonlySet<T>): number {
    const n = this.#items.length
    let kept = 0
    for (let i = 0; i < this.#size; i++) {
      const item = this.#items[(this.#head + i) % n] as T
      if (!items.has(item)) this.#items[(this.#head + kept++) % n] = item
    }
    for (let i = kept; i < this.#size; i++) this.#items[(this.#head + i) % n] = undefined
    const removed = this.#size - kept
    this.#size = kept
    return removed
  }

  #grow(): void {
    const next: (T | undefined)[] = new Array(this.#items.length * 2)
    for (let i = 0; i < this.#size; i++) next[i] = this.#items[(this.#head + i) % this.#items.length]
    this.#items = next
    this.#head = 0
  }
}
