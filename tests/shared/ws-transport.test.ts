import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ContractError } from '../../shared/api'
import type { RunFinished } from '../../shared/contract'
import {
  ConnectionLostError,
  apiSocketUrl,
  createWsTransport,
  type ConnectionStatus,
  type SocketLike,
  type WsTransport
} from '../../shared/ws-transport'
import { EventHub } from '../../main/ipc/event-hub'
import type { Handlers } from '../../main/ipc/handlers'
import { startServer, type RunningServer } from '../../main/server/start-server'
import { apiUrlFor, createRendererFixture } from '../main/server/server-helpers'
import { createRecordingApp } from '../main/server/test-app'

let fixture: Awaited<ReturnType<typeof createRendererFixture>>
let server: RunningServer | undefined
let transport: WsTransport | undefined

beforeAll(async () => {
  fixture = await createRendererFixture()
})
afterAll(() => fixture.remove())
afterEach(async () => {
  transport?.close()
  transport = undefined
  await server?.close()
  server = undefined
})

const createSocket = (url: string) => new WebSocket(url) as unknown as SocketLike

async function serve(options: { hub?: EventHub; handlers?: Partial<Handlers>; port?: number; token?: string } = {}) {
  server = await startServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    token: options.token,
    rendererDir: fixture.rendererDir,
    dispatch: createRecordingApp({ overrides: options.handlers }).dispatch,
    hub: options.hub ?? new EventHub(),
    allowLaunch: false
  })
  return server
}

function connectTransport(url: string, statuses: ConnectionStatus[] = []) {
  transport = createWsTransport({ url, createSocket, initialRetryMs: 20, maxRetryMs: 100, onStatusChange: (s) => statuses.push(s) })
  return transport
}

function waitForStatus(statuses: ConnectionStatus[], wanted: ConnectionStatus, count = 1): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (statuses.filter((s) => s === wanted).length >= count ? resolve() : setTimeout(check, 5))
    check()
  })
}

const finished: RunFinished = {
  runId: 'run-1',
  taskId: 'sum',
  state: 'succeeded',
  ok: true,
  result: 42,
  check: undefined,
  error: undefined,
  stats: { tasks: 1, completed: 1, failed: 0, retried: 0, crashedWorkers: 0, startupMs: 1, wallMs: 2, tasksPerSec: 500 }
}

describe('apiSocketUrl', () => {
  it('builds the socket URL on the page’s host with the page’s token', () => {
    expect(apiSocketUrl({ protocol: 'http:', host: '127.0.0.1:8123', search: '?token=abc_DEF-1' })).toBe('ws://127.0.0.1:8123/api?token=abc_DEF-1')
  })

  it('uses wss for pages served over https', () => {
    expect(apiSocketUrl({ protocol: 'https:', host: 'lab.example', search: '?token=t' })).toBe('wss://lab.example/api?token=t')
  })

  it('refuses to build one for a page opened without its token, saying what to do', () => {
    expect(() => apiSocketUrl({ protocol: 'http:', host: 'x', search: '' })).toThrow(/open the exact URL/)
  })
})

describe('createWsTransport', () => {
  it('resolves an invoke with the handler’s value, including requests made before the socket opened', async () => {
    const running = await serve()
    const ws = connectTransport(apiUrlFor(running.url))
    expect(await ws.invoke('run:start', { taskId: 'sum', workers: 2 })).toEqual({ runId: 'run-1' })
  })

  it('rejects a refused invoke with a ContractError carrying the payload', async () => {
    const running = await serve()
    const ws = connectTransport(apiUrlFor(running.url))
    const error = await ws.invoke('run:start', { taskId: 'sum', workers: 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ContractError)
    expect((error as ContractError).payload).toMatchObject({ code: 'invalid-payload', issues: [{ path: 'workers' }] })
  })

  it('delivers events to subscribers until they unsubscribe', async () => {
    const hub = new EventHub()
    const running = await serve({ hub })
    const statuses: ConnectionStatus[] = []
    const ws = connectTransport(apiUrlFor(running.url), statuses)
    const seen: unknown[] = []
    const off = ws.subscribe('run:finished', (payload) => seen.push(payload))
    await waitForStatus(statuses, 'open')
    const delivered = new Promise<unknown>((resolve) => ws.subscribe('run:finished', resolve))
    hub.publish('run:finished', finished)
    expect(await delivered).toEqual(finished)
    expect(seen).toEqual([finished])
    off()
    const again = new Promise<unknown>((resolve) => ws.subscribe('run:finished', resolve))
    hub.publish('run:finished', finished)
    await again
    expect(seen).toHaveLength(1)
  })

  it('refuses to subscribe to a channel the contract does not have', async () => {
    const running = await serve()
    const ws = connectTransport(apiUrlFor(running.url))
    expect(() => ws.subscribe('run:nonsense' as never, () => {})).toThrow(/unknown event channel/)
  })

  it('rejects requests pending when the connection drops, without revealing the token', async () => {
    const running = await serve({ handlers: { 'run:list': () => new Promise(() => {}) } })
    const statuses: ConnectionStatus[] = []
    const ws = connectTransport(apiUrlFor(running.url), statuses)
    await waitForStatus(statuses, 'open')
    const pending = ws.invoke('run:list', {}).catch((e: unknown) => e)
    await ws.invoke('app:info', {})
    await running.close()
    server = undefined
    const error = await pending
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect((error as Error).message).toMatch(/lost .*before run:list was answered/)
    expect((error as Error).message).not.toContain(running.token)
  })

  it('reconnects after the server comes back, and subscriptions keep working', async () => {
    const hub = new EventHub()
    const first = await serve({ hub })
    const statuses: ConnectionStatus[] = []
    const ws = connectTransport(apiUrlFor(first.url), statuses)
    const seen: unknown[] = []
    ws.subscribe('run:finished', (payload) => seen.push(payload))
    await waitForStatus(statuses, 'open')
    await first.close()
    await waitForStatus(statuses, 'reconnecting')
    await serve({ hub, port: first.port, token: first.token })
    await waitForStatus(statuses, 'open', 2)
    hub.publish('run:finished', finished)
    expect(await ws.invoke('app:info', {})).toMatchObject({ name: 'poolscope' })
    expect(seen).toEqual([finished])
  })

  it('rejects requests made while the server is unreachable, and keeps trying', async () => {
    const running = await serve()
    const url = apiUrlFor(running.url)
    await running.close()
    server = undefined
    const statuses: ConnectionStatus[] = []
    const ws = connectTransport(url, statuses)
    const error = await ws.invoke('app:info', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect((error as Error).message).toMatch(/cannot reach the PoolScope server/)
    expect(ws.status).toBe('connecting')
  })

  it('rejects arguments that cannot be sent as JSON, without touching the connection', async () => {
    const running = await serve()
    const ws = connectTransport(apiUrlFor(running.url))
    await expect(ws.invoke('run:start', { taskId: 'sum', workers: 1n })).rejects.toThrow(TypeError)
    expect(await ws.invoke('app:info', {})).toMatchObject({ name: 'poolscope' })
  })

  it('stops for good on close, rejecting what is pending', async () => {
    const running = await serve({ handlers: { 'run:list': () => new Promise(() => {}) } })
    const statuses: ConnectionStatus[] = []
    const ws = connectTransport(apiUrlFor(running.url), statuses)
    await waitForStatus(statuses, 'open')
    const pending = ws.invoke('run:list', {}).catch((e: unknown) => e)
    ws.close()
    expect(await pending).toBeInstanceOf(ConnectionLostError)
    await expect(ws.invoke('app:info', {})).rejects.toThrow(ConnectionLostError)
    expect(statuses.at(-1)).toBe('closed')
  })
})
