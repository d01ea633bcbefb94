/**
 * The local web site `crawl` fetches when it is given no URLs: an HTTP server on 127.0.0.1 (an
 * ephemeral port) whose paths choose what happens, so every outcome a crawler must handle can be
 * produced on demand and checked afterwards:
 *
 * - `/page/<n>`    200 with a body of `pageBytes(n)` bytes
 * - `/missing/<n>` 404
 * - `/broken/<n>`  500
 * - `/reset/<n>`   the connection is reset (TCP RST) without a response
 * - `/hang/<n>`    never answers
 *
 * Every answer waits `latencyMs` first (`?latencyMs=` overrides it per request). `close()` also
 * ends hanging and keep-alive connections, so it never waits on a client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a path of the server does. */
export type CrawlRouteKind = 'page' | 'missing' | 'broken' | 'reset' | 'hang'

/** The status each answering route sends. */
export const ROUTE_STATUS: Readonly<Record<Exclude<CrawlRouteKind, 'reset' | 'hang'>, number>> = {
  page: 200,
  missing: 404,
  broken: 500
}

const ROUTE_KINDS: readonly CrawlRouteKind[] = ['page', 'missing', 'broken', 'reset', 'hang']
/** The most latency a request may ask for, so a typo cannot hold a connection for hours. */
const MAX_LATENCY_MS = 60_000

/** How the local site behaves. */
export interface CrawlServerOptions {
  /** Wait before every answer, ms. */
  latencyMs: number
}

/** A running local site. */
export interface CrawlServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly port: number
  /** The URL of route `kind` number `n`. */
  urlFor(kind: CrawlRouteKind, n: number): string
  /** Requests received so far, by route kind (unknown paths count as `missing`). */
  readonly requestCounts: Readonly<Record<CrawlRouteKind, number>>
  readonly isListening: boolean
  /** Stops listening and ends every open connection, hanging ones included. */
  close(): Promise<void>
}

/** Body length of `/page/<n>`: different per page, so a crawler's byte counts can be checked. */
export function pageBytes(n: number): number {
  return 512 + ((n * 997) % 4096)
}

/** Starts the server on 127.0.0.1 with a port the OS picks. */
export async function startCrawlServer(options: CrawlServerOptions): Promise<CrawlServer> {
  const counts: Record<CrawlRouteKind, number> = { page: 0, missing: 0, broken: 0, reset: 0, hang: 0 }
  // Latency timers are kept so close() can cancel them: a pending one would keep the process alive.
  const timers = new Set<NodeJS.Timeout>()
  let isClosed = false

  const later = (ms: number, action: () => void) => {
    if (ms <= 0) return action()
    const timer = setTimeout(() => {
      timers.delete(timer)
      action()
    }, ms)
    timers.add(timer)
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const [, first = '', second = ''] = url.pathname.split('/')
    const kind = (ROUTE_KINDS as readonly string[]).includes(first) ? (first as CrawlRouteKind) : 'missing'
    const n = Number.parseInt(second, 10)
    counts[kind]++
    if (kind === 'hang') return
    const asked = Number(url.searchParams.get('latencyMs'))
    const latencyMs = url.searchParams.has('latencyMs') && Number.isFinite(asked) ? Math.min(MAX_LATENCY_MS, Math.max(0, asked)) : options.latencyMs
    later(latencyMs, () => {
      if (kind === 'reset') {
        req.socket.resetAndDestroy()
        return
      }
      const status = ROUTE_STATUS[kind]
      const body = kind === 'page' ? Buffer.alloc(pageBytes(Number.isFinite(n) ? n : 0), 'x') : Buffer.from(`${status} ${kind}\n`)
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': body.length })
      res.end(body)
    })
  }

  const server = createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  return {
    origin,
    port,
    urlFor: (kind, n) => `${origin}/${kind}/${n}`,
    requestCounts: counts,
    get isListening() {
      return server.listening
    },
    async close() {
      if (isClosed) return
      isClosed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // close() alone waits for idle keep-alive and hanging connections to end by themselves.
      server.closeAllConnections()
      await closed
    }
  }
}
