/**
 * Browser mode's `Transport`: the same contract as the Electron preload, carried over one WebSocket
 * to `poolscope serve`. Also declares the wire messages, which the server imports, so the two sides
 * cannot disagree on a shape.
 *
 * Browser-safe: no Node imports. The socket constructor, URL and timers are injectable, so the
 * transport also runs (and is tested) under Node with the `ws` package.
 */
import { eventChannels, type ContractErrorPayload, type EventChannel, type RequestChannel } from './contract'
import { ContractError, type Transport } from './api'

// ---------------------------------------------------------------------------------------------
// Wire protocol

/** A request id: unique among a connection's unanswered requests. */
export type WireId = number | string

/** What main answers a request with, over IPC and WebSocket alike. */
export type WireReply = { ok: true; value: unknown } | { ok: false; error: ContractErrorPayload }

/** Browser → server. */
export interface InvokeMessage {
  kind: 'invoke'
  id: WireId
  channel: RequestChannel
  args: unknown
}

/** Server → browser. */
export type ServerMessage =
  /** The answer to the `invoke` with the same id. */
  | { kind: 'result'; id: WireId; reply: WireReply }
  /** An event published in main; every connected client receives every event. */
  | { kind: 'event'; channel: EventChannel; payload: unknown }
  /** A message that could not be answered by id: not JSON, not an object, no usable id. */
  | { kind: 'error'; error: ContractErrorPayload }

/** Path of the API socket on the dashboard's origin. */
export const API_PATH = '/api'

// ---------------------------------------------------------------------------------------------
// Transport

/** The part of the WebSocket API the transport uses; the browser's and `ws`'s both fit. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: never) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: never) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
}

/** `connecting` until the first open, `reconnecting` after a drop, `closed` after `close()`. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed'

/** Everything is optional in a browser; tests inject the URL, socket and delays. */
export interface WsTransportOptions {
  /** The socket URL with its token; by default built from the page's own address. */
  url?: string
  /** Opens a socket; by default the browser's `WebSocket`. */
  createSocket?: (url: string) => SocketLike
  /** First delay before reconnecting; doubled after each failed attempt. Default 250 ms. */
  initialRetryMs?: number
  /** Longest delay between attempts. Default 10 s. */
  maxRetryMs?: number
  /** Told whenever the connection changes state, e.g. to show "reconnecting…". */
  onStatusChange?: (status: ConnectionStatus) => void
  /** Told when an event listener throws; by default `console.error`. */
  onListenerError?: (error: unknown, channel: EventChannel) => void
}

/** A `Transport` with a connection state and an off switch. */
export interface WsTransport extends Transport {
  readonly status: ConnectionStatus
  /** Closes the socket for good: no reconnect; unanswered requests are rejected. */
  close(): void
}

/** A request that was unanswered when its connection dropped, or that could not be sent. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError'
}

/** The part of `window.location` the default URL is built from. */
export interface PageLocation {
  protocol: string
  host: string
  search: string
}

/**
 * The API socket's URL for a dashboard page: same host, `ws:` or `wss:` to match the page, and the
 * page's `?token=`. Throws when the page was opened without its token.
 */
export function apiSocketUrl(location: PageLocation): string {
  const token = new URLSearchParams(location.search).get('token')
  if (token === null || token === '') {
    throw new Error('This page was opened without its access token: open the exact URL `poolscope serve` printed.')
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${API_PATH}?token=${encodeURIComponent(token)}`
}

const OPEN = 1
const knownEvents: ReadonlySet<string> = new Set(eventChannels)

interface Pending {
  channel: RequestChannel
  message: string
  isSent: boolean
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * Connects at once and keeps connecting: after a drop it retries with doubling, jittered delays,
 * and every request made meanwhile waits for the next connection. A request whose connection drops
 * before the answer arrives is rejected with `ConnectionLostError` (it may or may not have run; the
 * caller decides whether to retry). Event listeners live here, not on the socket, and the server
 * sends every event to every connection, so subscriptions carry over reconnects by themselves.
 */
export function createWsTransport(options: WsTransportOptions = {}): WsTransport {
  const url = options.url ?? apiSocketUrl((globalThis as unknown as { location: PageLocation }).location)
  const createSocket = options.createSocket ?? defaultSocketFactory
  const initialRetryMs = options.initialRetryMs ?? 250
  const maxRetryMs = options.maxRetryMs ?? 10_000
  const onListenerError =
    options.onListenerError ?? ((error, channel) => console.error(`PoolScope: a ${channel} listener failed`, error))
  // The URL carries the token; messages people may read (errors, logs) name the server without it.
  const where = url.split('?')[0]

  const pending = new Map<WireId, Pending>()
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()
  let socket: SocketLike | undefined
  let status: ConnectionStatus = 'connecting'
  let hasOpened = false
  let failedAttempts = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let nextId = 1

  const setStatus = (next: ConnectionStatus) => {
    if (status === next) return
    status = next
    options.onStatusChange?.(next)
  }

  const send = (id: WireId, request: Pending) => {
    try {
      socket!.send(request.message)
      request.isSent = true
    } catch (error) {
      pending.delete(id)
      request.reject(new ConnectionLostError(`${request.channel} could not be sent: ${String(error)}`))
    }
  }

  const connect = () => {
    retryTimer = undefined
    let current: SocketLike
    try {
      current = createSocket(url)
    } catch (error) {
      onDrop(`cannot open a connection to ${where}: ${String(error)}`)
      return
    }
    socket = current
    let isOpen = false
    current.onopen = () => {
      isOpen = true
      hasOpened = true
      failedAttempts = 0
      setStatus('open')
      for (const [id, request] of pending) if (!request.isSent) send(id, request)
    }
    current.onmessage = (event) => receive(event.data)
    // Every failure also closes the socket; `onclose` does the bookkeeping once.
    current.onerror = () => {}
    current.onclose = (event) => {
      if (socket !== current) return
      socket = undefined
      onDrop(
        isOpen
          ? `the connection to the PoolScope server was lost (code ${event.code})`
          : `cannot reach the PoolScope server at ${where}`
      )
    }
  }

  const onDrop = (reason: string) => {
    for (const [id, request] of pending) {
      pending.delete(id)
      request.reject(new ConnectionLostError(`${reason} before ${request.channel} was answered; reconnecting`))
    }
    if (status === 'closed') return
    setStatus(hasOpened ? 'reconnecting' : 'connecting')
    const ceiling = Math.min(maxRetryMs, initialRetryMs * 2 ** failedAttempts)
    failedAttempts = Math.min(failedAttempts + 1, 30)
    // Jitter, so many tabs dropped by one server restart do not all knock at the same instant.
    retryTimer = setTimeout(connect, ceiling / 2 + Math.random() * (ceiling / 2))
  }

  const receive = (data: unknown) => {
    let message: ServerMessage
    try {
      message = JSON.parse(String(data)) as ServerMessage
    } catch {
      return
    }
    if (message === null || typeof message !== 'object') return
    if (message.kind === 'result') {
      const request = pending.get(message.id)
      if (request === undefined || typeof message.reply !== 'object' || message.reply === null) return
      pending.delete(message.id)
      if (message.reply.ok) request.resolve(message.reply.value)
      else request.reject(new ContractError(message.reply.error))
    } else if (message.kind === 'event') {
      for (const listener of [...(listeners.get(message.channel) ?? [])]) {
        try {
          listener(message.payload)
        } catch (error) {
          onListenerError(error, message.channel)
        }
      }
    }
    // `kind: 'error'` answers a message we never send (unparseable or id-less); nothing awaits it.
  }

  connect()

  return {
    get status() {
      return status
    },
    invoke(channel, args) {
      if (status === 'closed') return Promise.reject(new ConnectionLostError(`the connection is closed; ${channel} was not sent`))
      const id = nextId++
      let message: string
      try {
        message = JSON.stringify({ kind: 'invoke', id, channel, args } satisfies InvokeMessage)
      } catch (error) {
        return Promise.reject(new TypeError(`${channel} arguments cannot be sent: ${String(error)}`))
      }
      return new Promise((resolve, reject) => {
        const request: Pending = { channel, message, isSent: false, resolve, reject }
        pending.set(id, request)
        if (socket !== undefined && socket.readyState === OPEN) send(id, request)
      })
    },
    subscribe(channel, listener) {
      if (!knownEvents.has(channel)) throw new Error(`unknown event channel: ${String(channel)}`)
      let set = listeners.get(channel)
      if (set === undefined) {
        set = new Set()
        listeners.set(channel, set)
      }
      const entry = (payload: unknown) => listener(payload)
      set.add(entry)
      return () => {
        set.delete(entry)
      }
    },
    close() {
      if (status === 'closed') return
      setStatus('closed')
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      const current = socket
      socket = undefined
      current?.close(1000, 'closed by the page')
      for (const [id, request] of pending) {
        pending.delete(id)
        request.reject(new ConnectionLostError(`the connection was closed before ${request.channel} was answered`))
      }
    }
  }
}

function defaultSocketFactory(url: string): SocketLike {
  const WebSocketImpl = (globalThis as unknown as { WebSocket?: new (url: string) => SocketLike }).WebSocket
  if (WebSocketImpl === undefined) throw new Error('this environment has no WebSocket')
  return new WebSocketImpl(url)
}
