/** Test wiring for browser-mode tests: a renderer folder on disk, raw HTTP, and WebSocket clients. */
import { request } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { connect as connectTcp } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ServerMessage } from '../../../shared/ws-transport'
import { createDispatcher, type Dispatch } from '../../../main/ipc/dispatcher'
import { EventHub } from '../../../main/ipc/event-hub'
import { startServer, type RunningServer } from '../../../main/server/start-server'
import { createCountingHandlers } from '../../fuzz/counting-handlers'

/**
 * A temporary folder holding `renderer/` (index.html, a script, a stylesheet, a hidden file and a
 * link pointing out of the folder) next to `secret.txt`, which must never be served.
 */
export async function createRendererFixture(): Promise<{ root: string; rendererDir: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'poolscope-server-'))
  const rendererDir = join(root, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>PoolScope</title><script type="module" src="./assets/app.js"></script>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("hi")')
  await writeFile(join(rendererDir, 'assets', 'app.css'), 'body{}')
  await writeFile(join(rendererDir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]))
  await writeFile(join(rendererDir, '.env'), 'SECRET=1')
  await writeFile(join(root, 'secret.txt'), 'top secret')
  await symlink(join(root, 'secret.txt'), join(rendererDir, 'assets', 'leak.txt'))
  return { root, rendererDir, remove: () => rm(root, { recursive: true, force: true }) }
}

/** A server on 127.0.0.1:0 over a fresh renderer fixture; `close` stops it and removes the fixture. */
export interface FixtureServer {
  server: RunningServer
  fixture: Awaited<ReturnType<typeof createRendererFixture>>
  close(): Promise<void>
}

/**
 * Starts browser mode's server over a renderer fixture. By default every request channel is
 * answered by a counting handler with no launch policy; warnings are dropped unless `warn` is given.
 */
export async function startFixtureServer(options: { dispatch?: Dispatch; hub?: EventHub; warn?: (message: string) => void } = {}): Promise<FixtureServer> {
  const fixture = await createRendererFixture()
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: fixture.rendererDir,
    dispatch: options.dispatch ?? createDispatcher(createCountingHandlers().handlers),
    hub: options.hub ?? new EventHub(),
    allowLaunch: false,
    warn: options.warn ?? (() => {})
  })
  return {
    server,
    fixture,
    async close() {
      await server.close()
      await fixture.remove()
    }
  }
}

/**
 * Writes `text` to a raw TCP connection (nothing normalised, unlike an HTTP or WebSocket client) and
 * resolves with the status of the first answer line (0: none) and all that came back. It never
 * half-closes: Node's HTTP server drops a request in progress when the client does, as no browser
 * does. Send `Connection: close` (or upgrade, which it ends at the first line) so it ends.
 */
export function rawExchange(port: number, text: string, options: { untilFirstLine?: boolean } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      answer += chunk
      if (options.untilFirstLine && answer.includes('\r\n')) socket.destroy()
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0), text: answer }))
    socket.write(Buffer.from(text, 'utf8'))
  })
}

/** A raw WebSocket upgrade to `/api` with these header lines; resolves with its status (101: let in). */
export async function rawUpgrade(port: number, token: string, headerLines: readonly string[]): Promise<number> {
  const lines = [`GET /api?token=${token} HTTP/1.1`, ...headerLines, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13']
  return (await rawExchange(port, `${lines.join('\r\n')}\r\n\r\n`, { untilFirstLine: true })).status
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request sent with its path exactly as given (no URL normalisation, unlike fetch). */
export function rawRequest(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/** Opens a WebSocket; resolves with it once open, or with the HTTP status that refused it. */
export function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

export async function connectOrFail(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
  const outcome = await connect(url, options)
  if (!('ws' in outcome)) throw new Error(`refused with ${outcome.status}`)
  return new Client(outcome.ws)
}

/** A WebSocket client that queues what the server sends, for awaiting one message at a time. */
export class Client {
  readonly #queue: ServerMessage[] = []
  readonly #waiters: ((message: ServerMessage) => void)[] = []

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage
      const waiter = this.#waiters.shift()
      if (waiter) waiter(message)
      else this.#queue.push(message)
    })
  }

  next(): Promise<ServerMessage> {
    const queued = this.#queue.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Sends raw text and returns the next message. */
  async exchange(text: string): Promise<ServerMessage> {
    this.ws.send(text)
    return this.next()
  }

  invoke(id: number | string, channel: string, args: unknown): Promise<ServerMessage> {
    return this.exchange(JSON.stringify({ kind: 'invoke', id, channel, args }))
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close()
    })
  }
}

/** The `/api` socket URL for a dashboard URL (or with another token). */
export function apiUrlFor(dashboardUrl: string, token?: string): string {
  const url = new URL(dashboardUrl)
  const chosen = token ?? url.searchParams.get('token') ?? ''
  return `ws://${url.host}/api?token=${encodeURIComponent(chosen)}`
}
