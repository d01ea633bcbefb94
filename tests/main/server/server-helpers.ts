/** Test wiring for browser-mode tests: a renderer folder on disk, raw HTTP, and WebSocket clients. */
import { request } from 'node:http'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ServerMessage } from '../../../shared/ws-transport'

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
