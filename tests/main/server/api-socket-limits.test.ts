/**
 * The API socket under abuse: messages at and over the size limit, a flood of requests from one
 * client, clients that stop reading events or answers, and many connections opened and dropped.
 * Each limit costs only the abusive connection; the server and its other clients carry on.
 */
import { createServer, type Server } from 'node:http'
import { connect as connectTcp } from 'node:net'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createDispatcher, type Dispatch } from '../../../main/ipc/dispatcher'
import type { Handlers } from '../../../main/ipc/handlers'
import { EventHub } from '../../../main/ipc/event-hub'
import { createApiSocket, DEFAULT_API_SOCKET_LIMITS, MAX_MESSAGE_BYTES, type ApiSocket, type ApiSocketLimits } from '../../../main/server/api-socket'
import type { RunningServer } from '../../../main/server/start-server'
import { createCountingHandlers } from '../../fuzz/counting-handlers'
import { waitFor } from '../../helpers/wait-for'
import { apiUrlFor, connect, connectOrFail, startFixtureServer, type Client } from './server-helpers'

const cleanups: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function dispatchWith(overrides: Partial<Handlers> = {}): Dispatch {
  return createDispatcher({ ...createCountingHandlers().handlers, ...overrides })
}

/** The full browser-mode server, as `poolscope serve` runs it. */
async function startFullServer(dispatch: Dispatch = dispatchWith(), hub = new EventHub()): Promise<RunningServer> {
  const running = await startFixtureServer({ dispatch, hub })
  cleanups.push(() => running.close())
  return running.server
}

/** The socket alone behind a bare HTTP server, so a test can read the server side of each client. */
async function startBareSocket(options: { limits?: Partial<ApiSocketLimits>; dispatch?: Dispatch; hub?: EventHub }) {
  const errors: string[] = []
  const api: ApiSocket = createApiSocket({ dispatch: options.dispatch ?? dispatchWith(), hub: options.hub ?? new EventHub(), limits: options.limits, onError: (m) => errors.push(m) })
  const http: Server = createServer()
  http.on('upgrade', (req, socket, head) => api.wss.handleUpgrade(req, socket, head, (ws) => api.wss.emit('connection', ws, req)))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () => api.close(),
    () => new Promise((resolve) => http.close(resolve))
  )
  const port = (http.address() as { port: number }).port
  return { api, errors, url: `ws://127.0.0.1:${port}/api` }
}

async function open(url: string): Promise<Client> {
  const client = await connectOrFail(url)
  cleanups.push(() => client.ws.terminate())
  return client
}

/** The server's side of `client` (matched by port), to read what is queued for it. */
function serverSideOf(api: ApiSocket, client: Client): WebSocket {
  const port = (client.ws as unknown as { _socket: Socket })._socket.localPort
  const found = [...api.wss.clients].find((ws) => (ws as unknown as { _socket: Socket })._socket.remotePort === port)
  if (!found) throw new Error('no server side for that client')
  return found
}

/** Stops reading from the socket, as a stalled tab or a hostile client does; writing still works. */
function stopReading(client: Client): void {
  ;(client.ws as unknown as { _socket: Socket })._socket.pause()
}

function closeCode(client: Client): Promise<number> {
  return new Promise((resolve) => client.ws.once('close', (code) => resolve(code)))
}

describe('the size limit', () => {
  it('answers a message just under the limit and closes with 1009 one just over it', async () => {
    const server = await startFullServer()
    const client = await open(apiUrlFor(server.url))
    const envelope = (pad: number) => JSON.stringify({ kind: 'invoke', id: 1, channel: 'app:info', args: { pad: 'x'.repeat(pad) } })
    const overhead = envelope(0).length
    expect(await client.exchange(envelope(MAX_MESSAGE_BYTES - overhead))).toMatchObject({ id: 1, reply: { ok: false, error: { code: 'invalid-payload' } } })
    const closed = closeCode(client)
    client.ws.send(envelope(MAX_MESSAGE_BYTES - overhead + 1))
    expect(await closed).toBe(1009)
  })

  it('counts every fragment of a message, so many small frames cannot add up past it', async () => {
    const server = await startFullServer()
    const client = await open(apiUrlFor(server.url))
    const closed = closeCode(client)
    const piece = 'x'.repeat(64 * 1024)
    for (let i = 0; i <= MAX_MESSAGE_BYTES / piece.length; i++) client.ws.send(piece, { fin: false })
    client.ws.send('', { fin: true })
    expect(await closed).toBe(1009)
    const other = await open(apiUrlFor(server.url))
    expect(await other.invoke(1, 'app:info', {})).toMatchObject({ reply: { ok: true } })
  })
})

describe('a flood of requests from one client', () => {
  it('runs at most maxInFlight at once, refuses the rest unrun, and keeps answering other clients', async () => {
    let started = 0
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const server = await startFullServer(
      dispatchWith({
        'run:list': async () => {
          started++
          await gate
          return []
        }
      })
    )
    const flooder = await open(apiUrlFor(server.url))
    const bystander = await open(apiUrlFor(server.url))
    const flood = 1_000
    for (let id = 1; id <= flood; id++) flooder.ws.send(JSON.stringify({ kind: 'invoke', id, channel: 'run:list', args: {} }))
    const refused = []
    for (let i = 0; i < flood - DEFAULT_API_SOCKET_LIMITS.maxInFlight; i++) refused.push(await flooder.next())
    expect(started).toBe(DEFAULT_API_SOCKET_LIMITS.maxInFlight)
    expect(new Set(refused.map((m) => JSON.stringify(m.kind === 'result' && m.reply)))).toEqual(
      new Set([JSON.stringify({ ok: false, error: { code: 'failed', message: 'too many unanswered requests on this connection (at most 64); wait for answers before sending more' } })])
    )
    // Another client is answered while the flooder's requests are still running.
    expect(await bystander.invoke('b', 'app:info', {})).toMatchObject({ id: 'b', reply: { ok: true } })
    release()
    for (let i = 0; i < DEFAULT_API_SOCKET_LIMITS.maxInFlight; i++) expect(await flooder.next()).toMatchObject({ reply: { ok: true, value: [] } })
    // Once answered, the slots are free again.
    expect(await flooder.invoke('again', 'run:list', {})).toMatchObject({ id: 'again', reply: { ok: true } })
    expect(started).toBe(DEFAULT_API_SOCKET_LIMITS.maxInFlight + 1)
  })
})

describe('a client that stops reading', () => {
  it('is sent no more events past the event limit, so its backlog stays bounded, while a reading client gets every event', async () => {
    const hub = new EventHub()
    const limits = { maxBufferedEventBytes: 256 * 1024, maxBufferedBytes: 4 * 1024 * 1024 }
    const { api, errors, url } = await startBareSocket({ hub, limits })
    const stalled = await open(url)
    const reader = await open(url)
    stopReading(stalled)
    const serverSide = serverSideOf(api, stalled)
    const line = 'y'.repeat(32 * 1024)
    const events = 400
    let largestBacklog = 0
    for (let i = 0; i < events; i++) {
      hub.publish('launch:output', { launchId: 'launch-1', stream: 'stdout', lines: [line, String(i)], droppedLines: 0 })
      largestBacklog = Math.max(largestBacklog, serverSide.bufferedAmount)
      // Let the socket drain what the kernel takes, as it would between real events.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    for (let i = 0; i < events; i++) expect(await reader.next()).toMatchObject({ kind: 'event', payload: { lines: [line, String(i)] } })
    // 12.8 MB were published; the stalled client was queued at most the limit plus one event.
    expect(largestBacklog).toBeGreaterThan(0)
    expect(largestBacklog).toBeLessThanOrEqual(limits.maxBufferedEventBytes + 40 * 1024)
    expect(serverSide.readyState).toBe(WebSocket.OPEN)
    expect(errors).toEqual([])
  })

  it('is cut off once the answers it does not read pass the hard limit; other clients carry on', async () => {
    const limits = { maxBufferedBytes: 1024 * 1024 }
    const big = 'z'.repeat(64 * 1024)
    const { api, errors, url } = await startBareSocket({ limits, dispatch: dispatchWith({ 'run:list': () => [big] as never }) })
    const stalled = await open(url)
    const reader = await open(url)
    stopReading(stalled)
    const serverSide = serverSideOf(api, stalled)
    let largestBacklog = 0
    // 2,000 answers of 64 KiB: 128 MB if nothing stopped it.
    for (let id = 1; id <= 2_000 && serverSide.readyState === WebSocket.OPEN; id++) {
      stalled.ws.send(JSON.stringify({ kind: 'invoke', id, channel: 'run:list', args: {} }))
      await new Promise((resolve) => setImmediate(resolve))
      largestBacklog = Math.max(largestBacklog, serverSide.bufferedAmount)
    }
    await waitFor('the stalled client cut off', () => serverSide.readyState === WebSocket.CLOSED)
    expect(largestBacklog).toBeLessThanOrEqual(limits.maxBufferedBytes)
    expect(errors).toEqual([expect.stringContaining('stopped reading')])
    expect(await reader.invoke(1, 'run:list', {})).toMatchObject({ reply: { ok: true, value: [big] } })
  })
})

describe('many connections opened and dropped', () => {
  it('leaves no socket, client or listener behind, however each one ends', async () => {
    const hub = new EventHub()
    const server = await startFullServer(dispatchWith(), hub)
    const listenersBefore = hub.listenerCount
    const url = apiUrlFor(server.url)
    const endings: ((i: number) => Promise<void>)[] = [
      async () => {
        const client = await connectOrFail(url)
        await client.close()
      },
      async () => (await connectOrFail(url)).ws.terminate(),
      async (i) => {
        // A request still running when its client vanishes.
        const client = await connectOrFail(url)
        client.ws.send(JSON.stringify({ kind: 'invoke', id: i, channel: 'run:list', args: {} }))
        client.ws.terminate()
      },
      async () => {
        const client = await connectOrFail(url)
        const closed = closeCode(client)
        client.ws.send(Buffer.from([0xff, 0xfe]), { binary: false })
        await closed
      },
      async () => {
        expect(await connect(apiUrlFor(server.url, 'not-the-token-but-long-enough'))).toEqual({ status: 401 })
      },
      async () => {
        // A TCP connection that never says anything, then drops.
        const socket = connectTcp(server.port, '127.0.0.1')
        await new Promise((resolve) => socket.once('connect', resolve))
        socket.destroy()
      }
    ]
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 30 }, (_, i) => endings[i % endings.length]!(round * 30 + i)))
    }
    await waitFor('every connection gone on the server', async () => {
      const counts = await server.connectionCounts()
      return counts.sockets === 0 && counts.webSockets === 0
    })
    expect(hub.listenerCount).toBe(listenersBefore)
    const client = await open(url)
    expect(await client.invoke(1, 'app:info', {})).toMatchObject({ reply: { ok: true } })
  })
})

describe('bug: a message whose kind was nested 100,000 deep crashed the server', () => {
  it('answers it by id (JSON.stringify of the kind overflowed the stack in an unhandled rejection)', async () => {
    const server = await startFullServer()
    const client = await open(apiUrlFor(server.url))
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(await client.exchange(`{"id":7,"kind":${deep}}`)).toEqual({
      kind: 'result',
      id: 7,
      reply: { ok: false, error: { code: 'invalid-payload', message: 'unknown message kind a list; expected "invoke"' } }
    })
    expect(await client.invoke(8, 'app:info', {})).toMatchObject({ id: 8, reply: { ok: true } })
  })
})
