import type { Cancel, Clock } from '../../../main/monitor/clock'

interface Timer {
  atMs: number
  seq: number
  callback: () => void
}

/** A clock that moves only when a test says so. */
export class ManualClock implements Clock {
  private nowMs: number
  private timers: Timer[] = []
  private seq = 0

  constructor(startMs = 1_700_000_000_000) {
    this.nowMs = startMs
  }

  now(): number {
    return this.nowMs
  }

  schedule(callback: () => void, delayMs: number): Cancel {
    const timer: Timer = { atMs: this.nowMs + Math.max(0, delayMs), seq: this.seq++, callback }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  /** Timers scheduled and not yet run or cancelled. */
  get pendingCount(): number {
    return this.timers.length
  }

  /** When the next timer is due, if any. */
  get nextDueMs(): number | undefined {
    return this.timers.length === 0 ? undefined : Math.min(...this.timers.map((t) => t.atMs))
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.nowMs + ms
    for (;;) {
      const due = this.timers.filter((t) => t.atMs <= target).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0]
      if (due === undefined) break
      this.timers = this.timers.filter((t) => t !== due)
      this.nowMs = due.atMs
      due.callback()
    }
    this.nowMs = target
  }
}
