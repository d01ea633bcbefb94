import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EventHub } from '../../../main/ipc/event-hub'
import type { Handlers } from '../../../main/ipc/handlers'
import { MAX_MESSAGE_BYTES } from '../../../main/server/api-socket'
import { startServer, type RunningServer } from '../../../main/server/start-server'
import type { RunUpdate } from '../../../shared/contract'
import { apiUrlFor, connectOrFail, createRendererFixture, type Client } from './server-helpers'
import { createRecordingApp } from './test-app'

let fixture: Awaited<ReturnType<typeof createRendererFixture>>
let server: RunningServer | undefined
const clients: Client[] = []

beforeAll(async () => {
  fixture = await createRendererFixture()
})
afterAll(() => fixture.remove())
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  await server?.close()
  server = undefined
})

async function open(options: { hub?: EventHub; handlers?: Partial<Handlers>; allowLaunch?: boolean } = {}) {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: fixture.rendererDir,
    dispatch: createRecordingApp({ allowLaunch: options.allowLaunch, overrides: options.handlers }).dispatch,
    hub: options.hub ?? new EventHub(),
    allowLaunch: options.allowLaunch ?? false
  })
  const client = await connectOrFail(apiUrlFor(server.url))
  clients.push(client)
  return client
}

const update: RunUpdate = {
  runId: 'run-1',
  taskId: 'sum',
  state: 'running',
  at: 1,
  counters: { submitted: 1, pending: 0, running: 1, completed: 0, failed: 0, retried: 0, crashedWorkers: 0 },
  workers: [],
  spans: [],
  primitives: [],
  progress: { done: 0, total: 1, perSecond: 0, etaMs: undefined }
}

describe('the API socket', () => {
  it('answers an invoke with a result carrying the same id', async () => {
    const client = await open()
    expect(await client.invoke('req-7', 'run:start', { taskId: 'sum', workers: 2 })).toEqual({
      kind: 'result',
      id: 'req-7',
      reply: { ok: true, value: { runId: 'run-1' } }
    })
  })

  it('answers refusals through the gatekeeper, with the field named', async () => {
    const client = await open()
    expect(await client.invoke(1, 'run:start', { taskId: 'sum', workers: 0 })).toEqual({
      kind: 'result',
      id: 1,
      reply: {
        ok: false,
        error: { code: 'invalid-payload', message: 'workers: must be an integer ≥ 1', issues: [{ path: 'workers', message: 'must be an integer ≥ 1' }] }
      }
    })
    expect(await client.invoke(2, 'no:such', {})).toMatchObject({ id: 2, reply: { ok: false, error: { code: 'unknown-channel' } } })
  })

  it.each([
    ['text that is not JSON', 'not json {'],
    ['a JSON string', '"invoke"'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an array', '[{"kind":"invoke","id":1,"channel":"app:info","args":{}}]'],
    ['an object without an id', '{"kind":"invoke","channel":"app:info","args":{}}'],
    ['an object with an object id', '{"kind":"invoke","id":{},"channel":"app:info","args":{}}']
  ])('answers %s with an error and stays usable', async (_what, text) => {
    const client = await open()
    const answer = await client.exchange(text)
    expect(answer).toMatchObject({ kind: 'error', error: { code: 'invalid-payload' } })
    expect(await client.invoke(2, 'app:info', {})).toMatchObject({ id: 2, reply: { ok: true } })
  })

  it('answers an unknown message kind by id', async () => {
    const client = await open()
    expect(await client.exchange('{"kind":"subscribe","id":5}')).toMatchObject({
      kind: 'result',
      id: 5,
      reply: { ok: false, error: { code: 'invalid-payload', message: expect.stringContaining('"subscribe"') } }
    })
  })

  it('answers a binary message with an error and stays usable', async () => {
    const client = await open()
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect(await client.next()).toMatchObject({ kind: 'error', error: { message: expect.stringContaining('binary') } })
    expect(await client.invoke(1, 'app:info', {})).toMatchObject({ reply: { ok: true } })
  })

  it('answers a handler that returns what JSON cannot carry with failed', async () => {
    const client = await open({ handlers: { 'run:list': () => [{ big: 1n }] as never } })
    expect(await client.invoke(1, 'run:list', {})).toMatchObject({ id: 1, reply: { ok: false, error: { code: 'failed' } } })
  })

  it('closes only the connection that sends an oversized message, and keeps serving others', async () => {
    const client = await open()
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)))
    client.ws.send(JSON.stringify({ kind: 'invoke', id: 1, channel: 'app:info', args: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }))
    expect(await closed).toBe(1009)
    const other = await connectOrFail(apiUrlFor(server!.url))
    clients.push(other)
    expect(await other.invoke(1, 'app:info', {})).toMatchObject({ reply: { ok: true } })
  })

  it('pushes every event published on the hub to connected clients', async () => {
    const hub = new EventHub()
    const first = await open({ hub })
    const second = await connectOrFail(apiUrlFor(server!.url))
    clients.push(second)
    hub.publish('run:update', update)
    expect(await first.next()).toEqual({ kind: 'event', channel: 'run:update', payload: update })
    expect(await second.next()).toEqual({ kind: 'event', channel: 'run:update', payload: update })
  })

  it('stops forwarding events once closed', async () => {
    const hub = new EventHub()
    await open({ hub })
    const before = hub.listenerCount
    await server!.close()
    server = undefined
    expect(hub.listenerCount).toBe(before - 1)
  })

  it('refuses command-running requests as forbidden unless launching is allowed', async () => {
    const client = await open({ allowLaunch: false })
    expect(await client.invoke(1, 'launch:start', { argv: ['id'] })).toMatchObject({ reply: { ok: false, error: { code: 'forbidden' } } })
    expect(await client.invoke(2, 'bench:start', { command: 'make', workers: [1] })).toMatchObject({
      reply: { ok: false, error: { code: 'forbidden' } }
    })
    await server!.close()
    const allowed = await open({ allowLaunch: true })
    expect(await allowed.invoke(1, 'launch:start', { argv: ['id'] })).toMatchObject({ reply: { ok: true } })
  })

  it('answers concurrent requests each by its own id, whatever order they finish in', async () => {
    let release: () => void = () => {}
    const slow = new Promise<void>((resolve) => (release = resolve))
    const client = await open({
      handlers: {
        'run:list': async () => {
          await slow
          return []
        }
      }
    })
    client.ws.send(JSON.stringify({ kind: 'invoke', id: 'slow', channel: 'run:list', args: {} }))
    expect(await client.invoke('fast', 'app:info', {})).toMatchObject({ id: 'fast' })
    release()
    expect(await client.next()).toMatchObject({ id: 'slow', reply: { ok: true, value: [] } })
  })
})
