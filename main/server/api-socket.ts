/**
 * The contract over WebSockets: each text message `{kind:'invoke', id, channel, args}` is answered
 * `{kind:'result', id, reply}` through the same gatekeeper Electron uses, and every event published
 * on the hub is pushed to every client as `{kind:'event', channel, payload}`.
 *
 * A client can send anything. Whatever it sends, it gets an error reply and its connection stays
 * usable, with three exceptions where the connection itself is broken or abusive: a message above
 * the size limit (ws closes with 1009), a text frame that is not UTF-8 (ws closes with 1007, as
 * RFC 6455 §8.1 requires), and a client so far behind on reading that the server would have to
 * buffer without bound (cut off). Every limit is per connection: one abusive client costs only
 * itself.
 */
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { ContractErrorPayload } from '../../shared/contract'
import type { ServerMessage, WireId } from '../../shared/ws-transport'
import type { Dispatch } from '../ipc/dispatcher'
import { describeValue } from '../ipc/payload-issues'
import type { EventHub } from '../ipc/event-hub'

/** Largest message a client may send; requests are small, so 1 MiB is generous. */
export const MAX_MESSAGE_BYTES = 1024 * 1024

/** What one connection may cost the server. */
export interface ApiSocketLimits {
  /** Largest message a client may send; above it ws closes the connection with 1009. */
  maxMessageBytes: number
  /**
   * Requests one connection may have unanswered at once. Further ones are refused at once, without
   * running, so a client flooding slow requests cannot queue unbounded work (other clients are
   * unaffected). The dashboard has a handful in flight at most.
   */
  maxInFlight: number
  /**
   * A client this far behind on reading is not sent further events until it catches up: a stalled
   * tab must not grow the server's memory. Replies to its own requests still go out.
   */
  maxBufferedEventBytes: number
  /**
   * A client this far behind is cut off (terminated: a close frame would queue behind the rest).
   * Replies are bounded only by this, since a client may send requests and never read answers.
   */
  maxBufferedBytes: number
}

export const DEFAULT_API_SOCKET_LIMITS: Readonly<ApiSocketLimits> = {
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxInFlight: 64,
  maxBufferedEventBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 64 * 1024 * 1024
}
/** How often silent connections are pinged; one missing pong and the connection is dropped. */
const HEARTBEAT_MS = 30_000
/** How long clients get to acknowledge our close before their sockets are destroyed. */
const CLOSE_GRACE_MS = 1_000
const MAX_ID_CHARS = 64

/** What the socket answers with and forwards. */
export interface ApiSocketOptions {
  dispatch: Dispatch
  hub: EventHub
  /** Reports what cannot be sent back to anyone (an event that cannot be serialised, a client cut off). */
  onError?: (message: string) => void
  /** Tighter or looser limits than {@link DEFAULT_API_SOCKET_LIMITS}. */
  limits?: Partial<ApiSocketLimits>
}

/** The socket server and how to shut it down. */
export interface ApiSocket {
  readonly wss: WebSocketServer
  /** Closes every client with 1001 "going away" and stops forwarding events. */
  close(): Promise<void>
}

/** Creates the socket server (detached: the HTTP server hands it authorised upgrades). */
export function createApiSocket(options: ApiSocketOptions): ApiSocket {
  const { dispatch, hub } = options
  const onError = options.onError ?? ((message: string) => process.stderr.write(`poolscope: ${message}\n`))
  const limits: ApiSocketLimits = { ...DEFAULT_API_SOCKET_LIMITS, ...options.limits }
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false })
  const alive = new WeakSet<WebSocket>()
  let connections = 0

  wss.on('connection', (ws) => {
    const client: Client = { senderId: `ws:${++connections}`, inFlight: 0 }
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    // Without a listener, a socket error (an oversized frame, a reset) would be thrown as an
    // uncaught exception and take the whole server down. ws closes the socket after it.
    ws.on('error', () => {})
    ws.on('message', (data, isBinary) => {
      // `answer` handles every message it can read; this catch is for its own bugs, which must
      // cost one message, not the process (an unhandled rejection ends Node).
      answer(ws, data, isBinary, client).catch((error: unknown) => {
        onError(`a message could not be answered: ${String(error)}`)
        send(ws, protocolError('the message could not be answered'))
      })
    })
  })
  wss.on('error', (error) => onError(`API socket error: ${error.message}`))

  /** Queues `text` unless the client is too far behind, in which case it is cut off instead. */
  const send = (ws: WebSocket, text: string, bytes = Buffer.byteLength(text)) => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount + bytes > limits.maxBufferedBytes) {
      onError(`a dashboard client stopped reading (${limits.maxBufferedBytes} bytes waiting for it); disconnected it`)
      ws.terminate()
      return
    }
    ws.send(text)
  }

  const answer = async (ws: WebSocket, data: RawData, isBinary: boolean, client: Client) => {
    if (isBinary) return send(ws, protocolError('binary messages are not accepted; send JSON text'))
    let message: unknown
    try {
      message = JSON.parse(rawText(data))
    } catch {
      return send(ws, protocolError('the message is not valid JSON'))
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return send(ws, protocolError('the message must be a JSON object'))
    }
    const { kind, id, channel, args } = message as Record<string, unknown>
    if (!isWireId(id)) {
      return send(ws, protocolError(`the message needs an id: a number or a string of at most ${MAX_ID_CHARS} characters`))
    }
    if (kind !== 'invoke') {
      return sendResult(ws, id, { ok: false, error: invalid(`unknown message kind ${describeValue(kind)}; expected "invoke"`) })
    }
    if (client.inFlight >= limits.maxInFlight) {
      const message = `too many unanswered requests on this connection (at most ${limits.maxInFlight}); wait for answers before sending more`
      return sendResult(ws, id, { ok: false, error: { code: 'failed', message } })
    }
    client.inFlight++
    const reply = await dispatch(channel, args, { senderId: client.senderId }).finally(() => client.inFlight--)
    sendResult(ws, id, reply)
  }

  const sendResult = (ws: WebSocket, id: WireId, reply: Extract<ServerMessage, { kind: 'result' }>['reply']) => {
    try {
      send(ws, JSON.stringify({ kind: 'result', id, reply } satisfies ServerMessage))
    } catch (error) {
      // A handler returned something JSON cannot carry (a BigInt, a cycle): the caller still gets
      // an answer rather than waiting for ever.
      const failed = { code: 'failed', message: `the result could not be sent: ${String(error)}` } as const
      send(ws, JSON.stringify({ kind: 'result', id, reply: { ok: false, error: failed } } satisfies ServerMessage))
    }
  }

  const unsubscribe = hub.subscribeAll((channel, payload) => {
    if (wss.clients.size === 0) return
    let text: string
    try {
      text = JSON.stringify({ kind: 'event', channel, payload } satisfies ServerMessage)
    } catch (error) {
      onError(`a ${channel} event could not be serialised: ${String(error)}`)
      return
    }
    const bytes = Buffer.byteLength(text)
    for (const ws of wss.clients) {
      if (ws.bufferedAmount <= limits.maxBufferedEventBytes) send(ws, text, bytes)
    }
  })

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, HEARTBEAT_MS)
  // The heartbeat alone must not keep the process running.
  heartbeat.unref()

  return {
    wss,
    async close() {
      unsubscribe()
      clearInterval(heartbeat)
      const closing = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve()
            const timer = setTimeout(() => {
              ws.terminate()
              resolve()
            }, CLOSE_GRACE_MS)
            ws.once('close', () => {
              clearTimeout(timer)
              resolve()
            })
            ws.close(1001, 'server shutting down')
          })
      )
      await Promise.all(closing)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    }
  }
}

/** One connection's identity and how many of its requests are unanswered. */
interface Client {
  senderId: string
  inFlight: number
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function isWireId(id: unknown): id is WireId {
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS)
}

function invalid(message: string): ContractErrorPayload {
  return { code: 'invalid-payload', message }
}

function protocolError(message: string): string {
  return JSON.stringify({ kind: 'error', error: invalid(message) } satisfies ServerMessage)
}
