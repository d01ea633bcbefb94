/**
 * One end of a `Pipe`, as task code sees it: Python's `multiprocessing.connection.Connection`.
 * `Pipe.connect(handle)` gives one in a worker; `pipe.ends` gives both in the parent.
 */
import type { Transport } from '../core/transport'
import type { Delivery } from '../queue/queue-proxy'

/** What a worker needs to reach one end of a pipe; pass it to tasks as an argument. */
export interface PipeEndHandle {
  kind: 'pipe-end'
  service: string
  end: 0 | 1
  canSend: boolean
  canRecv: boolean
}

/** One end of a pipe: send, recv, poll, close. */
export class Connection<T = unknown> {
  readonly handle: PipeEndHandle
  readonly #transport: Transport
  #isClosed = false

  constructor(handle: PipeEndHandle, transport: Transport) {
    this.handle = handle
    this.#transport = transport
  }

  /** True once this proxy closed its end (another holder of the same end may have closed it too). */
  get isClosed(): boolean {
    return this.#isClosed
  }

  /**
   * Sends a message to the other end. Rejects with `PipeClosedError` if this end is closed,
   * `BrokenPipeError` if the other one is.
   */
  async send(message: T): Promise<void> {
    await this.#transport('send', [this.handle.end, message])
  }

  /**
   * The next message, waiting for one. Once the other end is closed and every message sent before
   * that has been received, rejects with `EOFError`.
   */
  async recv(): Promise<T> {
    const delivery = (await this.#transport('recv', [this.handle.end])) as Delivery<T>
    // Confirmed before the caller sees it, as with a queue: a receiver that dies first loses nothing.
    if (delivery.deliveryId > 0) await this.#transport('ack', [delivery.deliveryId])
    return delivery.item
  }

  /** Whether `recv` would return at once (a message, or EOF), waiting up to `timeoutMs` (default 0) to find out. */
  async poll(timeoutMs = 0): Promise<boolean> {
    return (await this.#transport('poll', [this.handle.end, timeoutMs])) as boolean
  }

  /** Closes this end; the other end then reads what is left and then gets `EOFError`. Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true
    await this.#transport('close', [this.handle.end])
  }
}
