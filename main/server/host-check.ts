/**
 * Which `Host` and `Origin` headers browser mode answers. On loopback the server answers only the
 * loopback names, which stops DNS rebinding (a page on evil.example whose name suddenly resolves to
 * 127.0.0.1); a WebSocket coming from a browser must also come from a page we served.
 */
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]'])
/** Host header syntax: a name, IPv4 or bracketed IPv6, and a port. Nothing else reaches our CSP. */
const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/

/** Whether binding `host` keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase()
  return LOOPBACK_NAMES.has(name) || (isIP(name) === 4 && name.startsWith('127.'))
}

/** Whether binding `host` listens on every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]'
}

/**
 * The host to print in the dashboard URL: the bound address, bracketed when IPv6; for a wildcard
 * bind, this machine's first external IPv4 address (so the URL works from the network the user
 * opened it to), else loopback.
 */
export function urlHostFor(bindHost: string): string {
  if (isWildcardHost(bindHost)) {
    for (const addresses of Object.values(networkInterfaces())) {
      const external = addresses?.find((a) => a.family === 'IPv4' && !a.internal)
      if (external !== undefined) return external.address
    }
    return '127.0.0.1'
  }
  return isIP(bindHost) === 6 ? `[${bindHost}]` : bindHost
}

/**
 * Decides which `Host` headers to answer. Loopback binds accept only loopback names on our port;
 * other binds accept any well-formed host, since the machine's names cannot be listed, and rely on
 * the token instead.
 */
export function hostHeaderPolicy(bindHost: string, port: number): (hostHeader: string | undefined) => boolean {
  const names = isLoopbackHost(bindHost)
    ? new Set(['127.0.0.1', 'localhost', '[::1]', urlHostFor(bindHost).toLowerCase()].map((n) => `${n}:${port}`))
    : undefined
  return (hostHeader) => {
    if (hostHeader === undefined) return false
    const header = hostHeader.toLowerCase()
    if (!HOST_HEADER.test(header)) return false
    return names === undefined || names.has(header)
  }
}

/**
 * Whether an upgrade's `Origin` is the page we served at `hostHeader`. Browsers always send Origin
 * on WebSockets, so a cross-site page is caught here; a request without one is not from a browser
 * and is judged by its token alone.
 */
export function isSameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true
  return hostHeader !== undefined && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`
}
