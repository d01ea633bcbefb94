/**
 * Where features publish events for the renderer (run updates, monitor samples, …). Transports
 * subscribe to everything and forward it: Electron with `webContents.send`, browser mode over its
 * WebSockets. A listener that throws is reported and skipped, never allowed to stop delivery to the
 * others or to throw into the feature that published.
 */
import type { EventChannel, EventPayloads } from '../../shared/contract'

/** Receives every event: the channel and its payload. */
export type AnyEventListener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void

/** How the hub reports a listener that throws. */
export interface EventHubOptions {
  /** Told about listeners that throw; defaults to a line on stderr. */
  onListenerError?: (error: unknown, channel: EventChannel) => void
}

/** Typed publish/subscribe for the contract's event channels. */
export class EventHub {
  readonly #byChannel = new Map<EventChannel, Set<(payload: never) => void>>()
  readonly #anyListeners = new Set<AnyEventListener>()
  readonly #onListenerError: (error: unknown, channel: EventChannel) => void

  constructor(options: EventHubOptions = {}) {
    this.#onListenerError =
      options.onListenerError ??
      ((error, channel) => process.stderr.write(`poolscope: a ${channel} listener failed: ${String(error)}\n`))
  }

  /** Delivers `payload` to every listener of `channel` and every catch-all listener, in order. */
  publish<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void {
    // Snapshots: a listener may unsubscribe (itself or another) while we deliver.
    for (const listener of [...(this.#byChannel.get(channel) ?? [])]) {
      this.#deliver(channel, () => (listener as (payload: EventPayloads[E]) => void)(payload))
    }
    for (const listener of [...this.#anyListeners]) {
      this.#deliver(channel, () => listener(channel, payload))
    }
  }

  /** Listens to one channel; returns the unsubscribe function (safe to call twice). */
  subscribe<E extends EventChannel>(channel: E, listener: (payload: EventPayloads[E]) => void): () => void {
    let listeners = this.#byChannel.get(channel)
    if (listeners === undefined) {
      listeners = new Set()
      this.#byChannel.set(channel, listeners)
    }
    // Wrapped so the same function subscribed twice is delivered twice and unsubscribed once each.
    const entry = (payload: never) => listener(payload)
    listeners.add(entry)
    return () => {
      listeners.delete(entry)
    }
  }

  /** Listens to every channel, as transports do; returns the unsubscribe function. */
  subscribeAll(listener: AnyEventListener): () => void {
    const entry: AnyEventListener = (channel, payload) => listener(channel, payload)
    this.#anyListeners.add(entry)
    return () => {
      this.#anyListeners.delete(entry)
    }
  }

  /** How many listeners are attached, across all channels; for diagnostics and tests of cleanup. */
  get listenerCount(): number {
    let count = this.#anyListeners.size
    for (const listeners of this.#byChannel.values()) count += listeners.size
    return count
  }

  #deliver(channel: EventChannel, call: () => void): void {
    try {
      call()
    } catch (error) {
      try {
        this.#onListenerError(error, channel)
      } catch {
        // The error reporter itself failed; there is nowhere left to report to.
      }
    }
  }
}
