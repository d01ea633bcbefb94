/**
 * Serving the built renderer from one folder, and nothing outside it. A request path is decoded,
 * resolved against the folder, and refused unless it stays inside, both as written and after
 * following symbolic links; hidden files (`.env`, `.git`) are never served.
 */
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import type { ServerResponse } from 'node:http'

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm'
}

/** The `Content-Type` for a file name; unknown kinds are sent as opaque bytes (with `nosniff`). */
export function mimeTypeFor(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream'
}

/** Where a request path leads: a file to send, or the status to refuse with. */
export type StaticLookup = { kind: 'file'; path: string; size: number } | { kind: 'refused'; status: 400 | 403 | 404 }

/**
 * Maps a URL pathname (still percent-encoded, as in the request line) to a file under `rootDir`.
 * `/` and any path ending in `/` mean that folder's `index.html`.
 */
export async function lookupStaticFile(rootDir: string, pathname: string): Promise<StaticLookup> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { kind: 'refused', status: 400 }
  }
  if (decoded.includes('\0') || !decoded.startsWith('/')) return { kind: 'refused', status: 400 }
  // Backslashes are separators on Windows; treat them as such everywhere, so the checks below
  // see the same segments the file system will.
  const segments = decoded.split(/[\\/]+/)
  if (segments.some((segment) => segment === '..')) return { kind: 'refused', status: 403 }
  if (segments.some((segment) => segment.startsWith('.') && segment !== '.')) return { kind: 'refused', status: 404 }
  const relative = decoded.endsWith('/') || decoded.endsWith('\\') ? `${decoded}index.html` : decoded

  const root = resolve(rootDir)
  const candidate = resolve(root, `.${relative.replace(/\\/g, '/')}`)
  if (!isInside(root, candidate)) return { kind: 'refused', status: 403 }
  try {
    // Follow links before trusting the location: a link inside the folder may point outside it.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)])
    if (!isInside(realRoot, realFile)) return { kind: 'refused', status: 403 }
    const info = await stat(realFile)
    if (!info.isFile()) return { kind: 'refused', status: 404 }
    return { kind: 'file', path: realFile, size: info.size }
  } catch {
    return { kind: 'refused', status: 404 }
  }
}

/** Streams a looked-up file; `HEAD` gets the headers only. */
export function sendFile(res: ServerResponse, file: { path: string; size: number }, isHead: boolean): void {
  res.statusCode = 200
  res.setHeader('Content-Type', mimeTypeFor(file.path))
  res.setHeader('Content-Length', file.size)
  if (isHead) {
    res.end()
    return
  }
  const stream = createReadStream(file.path)
  // A file that vanishes or fails mid-read ends this response, not the server.
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}
