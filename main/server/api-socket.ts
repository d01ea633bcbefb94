/**
 * The contract over WebSockets: each text message `{kind:'invoke', id, channel, args}` is answered
 * `{kind:'result', id, reply}` through the same gatekeeper Electron uses, and every event published
 * on the hub is pushed to every client as `{kind:'event', channel, payload}`.
 *
 * A client can send anything. Whatever it sends, it gets an error reply and its connection stays
 * usable; only a message above the size limit closes it (ws answers 1009), since we cannot read it.
 */
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { ContractErrorPayload } from '../../shared/contract'
import type { ServerMessage, WireId } from '../../shared/ws-transport'
import type { Dispatch } from '../ipc/dispatcher'
import type { EventHub } from '../ipc/event-hub'

/** Largest message a client may send; requests are small, so 1 MiB is generous. */
export const MAX_MESSAGE_BYTES = 1024 * 1024
/**
 * A client this far behind on reading is not sent further events until it catches up: a stalled
 * tab must not grow the server's memory without bound. Replies to its own requests still go out.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
/** How often silent connections are pinged; one missing pong and the connection is dropped. */
const HEARTBEAT_MS = 30_000
/** How long clients get to acknowledge our close before their sockets are destroyed. */
const CLOSE_GRACE_MS = 1_000
const MAX_ID_CHARS = 64

/** What the socket answers with and forwards. */
export interface ApiSocketOptions {
  dispatch: Dispatch
  hub: EventHub
  /** Reports what cannot be sent back to anyone (an event that cannot be serialised). */
  onError?: (message: string) => void
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false })
  const alive = new WeakSet<WebSocket>()
  let connections = 0

  wss.on('connection', (ws) => {
    const senderId = `ws:${++connections}`
    alive.add(ws)
    ws.on('pong', () => alive.add(ws))
    // Without a listener, a socket error (an oversized frame, a reset) would be thrown as an
    // uncaught exception and take the whole server down. ws closes the socket after it.
    ws.on('error', () => {})
    ws.on('message', (data, isBinary) => {
      void answer(ws, data, isBinary, senderId)
    })
  })
  wss.on('error', (error) => onError(`API socket error: ${error.message}`))

  const answer = async (ws: WebSocket, data: RawData, isBinary: boolean, senderId: string) => {
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
      return sendResult(ws, id, { ok: false, error: invalid(`unknown message kind ${JSON.stringify(kind) ?? 'undefined'}; expected "invoke"`) })
    }
    sendResult(ws, id, await dispatch(channel, args, { senderId }))
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
    for (const ws of wss.clients) {
      if (ws.bufferedAmount <= MAX_BUFFERED_BYTES) send(ws, text)
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

function send(ws: WebSocket, text: string): void {
  if (ws.readyState === ws.OPEN) ws.send(text)
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
