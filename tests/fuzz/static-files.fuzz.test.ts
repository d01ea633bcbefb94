/**
 * The static file server against path traversal: generated request paths made of `..` in every
 * spelling (percent-encoded, double-encoded, overlong UTF-8, backslashes), NUL, absolute and
 * drive paths, query and hash tricks, very long URLs. A sentinel file sits just outside the served
 * folder (as `out/` holds `out/renderer`); it must never come back, no answer may be a 5xx, and
 * the server must still serve its own files afterwards. In-process against `lookupStaticFile`
 * (also over the real build, when there is one), then as raw HTTP request lines on a real server.
 */
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lookupStaticFile } from '../../main/server/static-files'
import { rawExchange, startFixtureServer, type FixtureServer } from '../main/server/server-helpers'
import { fuzzRuns } from './fuzz-config'

const SENTINEL = `poolscope-fuzz-sentinel-${process.pid}`

/** Path segments an attacker tries, spelled every way a decoder might turn into `..` or a separator. */
const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '%2e.', '.%2e', '%252e%252e', '%25252e%25252e', '..%2f', '..%5c', '..\\', '%c0%ae%c0%ae', '%e0%80%ae%e0%80%ae', '%c0%af', '%c1%9c', '%e0%80%af', '%uff0e%uff0e', '．．', '%ef%bc%8e%ef%bc%8e') },
  { weight: 4, arbitrary: fc.constantFrom('sentinel.txt', 'secret.txt', 'index.html', 'assets', 'app.js', 'leak.txt', '.env', '%2eenv', '.git', 'etc', 'passwd', 'proc', 'self', 'environ', '', '~', '%7e', 'renderer') },
  { weight: 2, arbitrary: fc.constantFrom('%00', '%2500', 'a%00.js', ';', 'a;b', '%3f', '%23', '%', '%%', '%zz', '%e9', '\u00e9', 'C:', 'c:%5c', '\\\\server', 'con', 'nul', '*', '%0d%0a', '%0a') },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) }
)
const separator = fc.constantFrom('/', '/', '/', '\\', '%2f', '%5c', '//', '%252f')
const prefix = fc.constantFrom('/', '/', '//', '///', '/./', '/%2e/', '\\', '/assets/', '/renderer/../', '/../', '/%2e%2e/')
const suffix = fc.constantFrom('', '', '?token=x', '?../../sentinel.txt', '#../sentinel.txt', '%00', '.', '/', '%20', '::$DATA', '~')

/** A request path as it could appear in the request line, still percent-encoded. */
const attackPath = fc
  .tuple(prefix, fc.array(fc.tuple(segment, separator), { minLength: 1, maxLength: 12 }), segment, suffix)
  .map(([start, parts, last, end]) => `${start}${parts.map(([s, sep]) => `${s}${sep}`).join('')}${last}${end}`)
/** Odd spellings of the folder's own files, which must still be served (so the property is not vacuous). */
const ownFilePath = fc
  .tuple(fc.constantFrom('/', '//', '/./', '/assets/./', '\\'), fc.constantFrom('index.html', 'assets/app.js', 'assets%2fapp.js', 'assets\\app.css', '%61ssets/font.woff2', 'assets//app%2ejs', ''), fc.constantFrom('', '?x=../../sentinel.txt', '#..', '?'))
  .map(([start, file, end]) => `${start}${file}${end}`)
/** The same, plus absolute paths, a few very long ones, and the folder's own files. */
const anyPath = fc.oneof(
  { weight: 8, arbitrary: attackPath },
  { weight: 2, arbitrary: ownFilePath },
  { weight: 1, arbitrary: fc.constantFrom('/etc/passwd', '//etc/passwd', '/%2fetc%2fpasswd', '/proc/self/environ', '/C:/Windows/win.ini', 'C:\\Windows\\win.ini', '/..%00/sentinel.txt') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('../', '%2e%2e/', '..%2f', 'a/'), fc.integer({ min: 100, max: 5_000 })).map(([part, n]) => `/${part.repeat(n)}sentinel.txt`) }
)

let running: FixtureServer
let fixture: FixtureServer['fixture']

beforeAll(async () => {
  running = await startFixtureServer()
  fixture = running.fixture
  // Just outside the served folder, where `out/renderer`'s siblings would be.
  await writeFile(join(fixture.root, 'sentinel.txt'), SENTINEL)
})
afterAll(() => running?.close())

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

describe('lookupStaticFile on generated traversal paths', () => {
  it('returns only files inside the served folder, never hidden ones, never the sentinel', async () => {
    let served = 0
    await fc.assert(
      fc.asyncProperty(anyPath, async (path) => {
        const found = await lookupStaticFile(fixture.rendererDir, path)
        if (found.kind === 'file') served++
        if (found.kind === 'refused') {
          expect([400, 403, 404]).toContain(found.status)
          return
        }
        expect(isInside(fixture.rendererDir, found.path), `${path} → ${found.path}`).toBe(true)
        expect(relative(fixture.rendererDir, found.path).split(sep).some((part) => part.startsWith('.'))).toBe(false)
        expect(readFileSync(found.path, 'utf8')).not.toContain(SENTINEL)
      }),
      fuzzRuns(3_000)
    )
    expect(served, 'no generated path reached a file: the generator is too narrow').toBeGreaterThan(0)
  })

  const built = resolve(__dirname, '../../out/renderer')
  it.skipIf(!existsSync(join(built, 'index.html')))('returns only files inside the real build, out/renderer', async () => {
    await fc.assert(
      fc.asyncProperty(anyPath, async (path) => {
        const found = await lookupStaticFile(built, path)
        if (found.kind === 'file') expect(isInside(built, found.path), `${path} → ${found.path}`).toBe(true)
      }),
      fuzzRuns(500)
    )
  })
})

/** One request line byte for byte, as a browser never would but an attacker does. */
function rawGet(path: string) {
  return rawExchange(running.server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${running.server.port}\r\nConnection: close\r\n\r\n`)
}

describe('the static file server on generated traversal paths, over HTTP', () => {
  it('answers 4xx or an own file, never a 5xx, never the sentinel, and keeps serving', async () => {
    let served = 0
    await fc.assert(
      fc.asyncProperty(anyPath, async (path) => {
        const answer = await rawGet(path)
        if (answer.status === 200) served++
        expect(answer.text).not.toContain(SENTINEL)
        expect(answer.text).not.toContain('top secret')
        expect(answer.text).not.toMatch(/root:.*:0:0:/)
        expect(answer.status >= 200 && answer.status < 500, `${path.slice(0, 200)} → ${answer.status}`).toBe(true)
        if (answer.status === 200) expect(answer.text).toMatch(/PoolScope|console\.log|body\{\}|wOF2/)
      }),
      fuzzRuns(800)
    )
    expect(served).toBeGreaterThan(0)
    expect((await rawGet('/assets/app.js')).status).toBe(200)
    expect((await running.server.connectionCounts()).webSockets).toBe(0)
  })

  it('refuses every method but GET and HEAD with 4xx, whatever the path', async () => {
    const method = fc.oneof(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get', 'G\u00c9T'), fc.stringMatching(/^[A-Z]{1,12}$/))
    await fc.assert(
      fc.asyncProperty(method.filter((m) => m !== 'GET' && m !== 'HEAD'), anyPath, async (verb, path) => {
        const answer = await rawExchange(running.server.port, `${verb} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${running.server.port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
        expect(answer.text).not.toContain(SENTINEL)
        // 0: the parser dropped the connection without a word (CONNECT with no handler).
        expect(answer.status === 0 || (answer.status >= 400 && answer.status < 500), `${verb} ${path.slice(0, 100)} → ${answer.status}`).toBe(true)
      }),
      fuzzRuns(200)
    )
    expect((await rawGet('/assets/app.js')).status).toBe(200)
  })
})
