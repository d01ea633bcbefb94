/**
 * One dispatch unit as the pool tracks it: a single call or a chunk of calls, with its promise's
 * settle functions, its retry budget and where it is now.
 */
import type { FnRef } from './types'
import type { WorkerHandle } from './worker-handle'

export type UnitState = 'queued' | 'dispatched' | 'settled'

export interface UnitRecord {
  readonly id: number
  readonly fn: FnRef
  /** Exactly one of these three is set: see `WireUnit`. */
  readonly args: unknown[] | undefined
  /** One input per one-argument call (`map`, `imap`). */
  readonly inputs: unknown[] | undefined
  /** With `inputs`: the arguments after each input (`MapOptions.extraArgs`). */
  readonly extra?: unknown[]
  /** One argument list per call (`starmap`). */
  readonly chunk: unknown[][] | undefined
  /** `fn`'s identity for the per-function duration estimate (see `fnKey`). */
  readonly fnKey: string
  /** Inputs carried: 1 for a call, the chunk's length otherwise. */
  readonly size: number
  readonly timeoutMs: number | undefined
  readonly retries: number
  readonly signal: AbortSignal | undefined
  state: UnitState
  /** Re-runs so far after its worker died under it. */
  attempts: number
  worker: WorkerHandle | undefined
  resolve(value: unknown): void
  reject(error: Error): void
}
