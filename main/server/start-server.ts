/**
 * Browser mode's server: the built renderer over HTTP and the contract over a WebSocket at `/api`,
 * on one port.
 *
 * Access rule: static files are served without the token, because they are the public build of the
 * renderer and hold no data; every piece of data (requests, results, events) travels only over the
 * WebSocket, whose upgrade is refused with 401 unless it presents the token. There is no other data
 * endpoint, so "no token, no data" holds by construction. Loopback binds additionally answer only
 * loopback `Host` names (against DNS rebinding), and a browser's upgrade must come from a page on
 * this same host.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { API_PATH } from '../../shared/ws-transport'
import type { Dispatch } from '../ipc/dispatcher'
import type { EventHub } from '../ipc/event-hub'
import { createApiSocket } from './api-socket'
import { contentSecurityPolicy } from './csp'
import { hostHeaderPolicy, isLoopbackHost, isSameOrigin, urlHostFor } from './host-check'
import { lookupStaticFile, sendFile } from './static-files'
import { createToken, isWellFormedToken, tokensEqual } from './token'

/** What to serve, where, and to whom. */
export interface ServerOptions {
  /** Interface to bind; anything but loopback prints a warning. */
  host: string
  /** 0 picks a free port; the real one is in the returned URL. */
  port: number
  /** Use this token instead of a fresh random one (url-safe, at least 16 characters). */
  token?: string
  /** The built renderer (`out/renderer`). */
  rendererDir: string
  /** The app's gatekeeper (`createApp().dispatch`), launch policy included. */
  dispatch: Dispatch
  hub: EventHub
  /** Whether the app allows requests that run commands (`launch:*`, command benchmarks); for the warning. */
  allowLaunch: boolean
  /** Where warnings go; default stderr. */
  warn?: (message: string) => void
}

/** A listening server. */
export interface RunningServer {
  /** The dashboard URL, token included: `http://127.0.0.1:PORT/?token=…`. */
  url: string
  port: number
  token: string
  /** Open TCP connections (WebSockets included) and WebSocket clients; for diagnostics and leak tests. */
  connectionCounts(): Promise<{ sockets: number; webSockets: number }>
  /** Disconnects every client and stops listening. */
  close(): Promise<void>
}

/** Starts listening; rejects when the address cannot be bound (in use, not ours, no permission). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`poolscope: warning: ${message}\n`))
  const token = options.token ?? createToken()
  if (!isWellFormedToken(token)) throw new TypeError('token must be 16 to 512 url-safe characters (A-Z a-z 0-9 _ -)')

  const { dispatch } = options
  const api = createApiSocket({ dispatch, hub: options.hub, onError: warn })
  const server = createServer()
  // Filled in once listening: the port is known only then.
  let isAllowedHost: (host: string | undefined) => boolean = () => false

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void serveRequest(req, res).catch(() => {
      if (!res.headersSent) res.statusCode = 500
      res.end()
    })
  })

  const serveRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host
    setSecurityHeaders(res, isAllowedHost(host) ? host : undefined)
    if (!isAllowedHost(host)) return refuse(res, 421, 'unknown host')
    const pathname = pathnameOf(req)
    if (pathname === undefined) return refuse(res, 400, 'bad request')
    if (pathname === API_PATH) return refuse(res, 426, 'the API is a WebSocket')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return refuse(res, 405, 'method not allowed')
    }
    const found = await lookupStaticFile(options.rendererDir, pathname)
    if (found.kind === 'refused') {
      const missingBuild = found.status === 404 && pathname === '/'
      return refuse(res, found.status, missingBuild ? 'the renderer is not built: run `npm run build`' : 'not found')
    }
    sendFile(res, found, req.method === 'HEAD')
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Errors on a socket we are about to refuse must not become uncaught exceptions.
    socket.on('error', () => socket.destroy())
    const url = parseUrl(req)
    if (url === undefined || url.pathname !== API_PATH) return refuseUpgrade(socket, 404, 'Not Found')
    if (!isAllowedHost(req.headers.host)) return refuseUpgrade(socket, 421, 'Misdirected Request')
    if (!tokensEqual(url.searchParams.get('token'), token)) return refuseUpgrade(socket, 401, 'Unauthorized')
    if (!isSameOrigin(req.headers.origin, req.headers.host)) return refuseUpgrade(socket, 403, 'Forbidden')
    api.wss.handleUpgrade(req, socket, head, (ws) => api.wss.emit('connection', ws, req))
  })

  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await api.close()
    const code = (error as NodeJS.ErrnoException).code
    throw Object.assign(new Error(`cannot listen on ${options.host}:${options.port} (${code ?? String(error)})`, { cause: error }), { code })
  }
  // Past startup, errors are per connection; log rather than crash.
  server.on('error', (error) => warn(`server error: ${error.message}`))

  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  isAllowedHost = hostHeaderPolicy(options.host, port)
  if (!isLoopbackHost(options.host)) {
    warn(
      `listening on ${options.host}, reachable from other machines: anyone who learns the URL's token can run tasks` +
        (options.allowLaunch ? ' and launch any command (--allow-launch is on)' : '') +
        '. Use --host 127.0.0.1 to keep it on this machine.'
    )
  }

  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHostFor(options.host)}:${port}/?token=${token}`,
    port,
    token,
    connectionCounts() {
      return new Promise((resolve, reject) => {
        server.getConnections((error, sockets) => (error ? reject(error) : resolve({ sockets, webSockets: api.wss.clients.size })))
      })
    },
    close() {
      closing ??= (async () => {
        await api.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          // Idle keep-alive connections would otherwise hold `close` open.
          server.closeAllConnections()
        })
      })()
      return closing
    }
  }
}

function setSecurityHeaders(res: ServerResponse, host: string | undefined): void {
  const connectSources = host === undefined ? [] : [`ws://${host}`]
  res.setHeader('Content-Security-Policy', contentSecurityPolicy({ connectSources }))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  // The page URL carries the token: never leak it to another site through Referer.
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  res.setHeader('Cache-Control', 'no-store')
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.end(`${message}\n`)
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function parseUrl(req: IncomingMessage): URL | undefined {
  try {
    // Only the path and query matter; the base is a placeholder, never trusted.
    return new URL(req.url ?? '/', 'http://placeholder')
  } catch {
    return undefined
  }
}

function pathnameOf(req: IncomingMessage): string | undefined {
  const raw = req.url ?? '/'
  if (!raw.startsWith('/')) return undefined
  // The raw path, still percent-encoded: URL parsing would resolve `..` before we could refuse it.
  return raw.split('?')[0]!.split('#')[0]
}
