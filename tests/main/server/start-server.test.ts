import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EventHub } from '../../../main/ipc/event-hub'
import { startServer, type RunningServer } from '../../../main/server/start-server'
import { apiUrlFor, connect, connectOrFail, createRendererFixture, rawRequest } from './server-helpers'
import { createRecordingApp } from './test-app'

let fixture: Awaited<ReturnType<typeof createRendererFixture>>
let server: RunningServer | undefined

beforeAll(async () => {
  fixture = await createRendererFixture()
})
afterAll(() => fixture.remove())
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(options: { host?: string; token?: string; warnings?: string[] } = {}): Promise<RunningServer> {
  server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: 0,
    token: options.token,
    rendererDir: fixture.rendererDir,
    dispatch: createRecordingApp().dispatch,
    hub: new EventHub(),
    allowLaunch: false,
    warn: (message) => options.warnings?.push(message)
  })
  return server
}

describe('startServer', () => {
  it('prints a loopback URL with the real port and a url-safe random token', async () => {
    const running = await start()
    const url = new URL(running.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(Number(url.port)).toBe(running.port)
    expect(running.port).toBeGreaterThan(0)
    expect(url.pathname).toBe('/')
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('makes a new token for every server', async () => {
    const first = await start()
    const firstToken = first.token
    await first.close()
    expect((await start()).token).not.toBe(firstToken)
  })

  it('refuses a token that is short or not url-safe', async () => {
    await expect(start({ token: 'short' })).rejects.toThrow(/token/)
    await expect(start({ token: 'has spaces and is long enough' })).rejects.toThrow(/token/)
  })

  it('serves the page at its tokened URL with a strict CSP and no referrer', async () => {
    const running = await start()
    const res = await rawRequest(running.port, `/?token=${running.token}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.body).toContain('<title>PoolScope</title>')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${running.port}`)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
  })

  it('serves static assets without the token, with their MIME types', async () => {
    const running = await start()
    const js = await rawRequest(running.port, '/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.body).toBe('console.log("hi")')
    expect((await rawRequest(running.port, '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    expect((await rawRequest(running.port, '/assets/font.woff2')).headers['content-type']).toBe('font/woff2')
  })

  it('answers HEAD with headers only', async () => {
    const running = await start()
    const res = await rawRequest(running.port, '/assets/app.js', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers['content-length']).toBe(String('console.log("hi")'.length))
    expect(res.body).toBe('')
  })

  it.each([
    ['/../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/assets/..%2f..%2fsecret.txt'],
    ['/assets/%2e%2e%5c%2e%2e%5csecret.txt'],
    ['/..%5csecret.txt'],
    ['/assets/leak.txt'],
    ['/.env'],
    ['/%00index.html'],
    ['/%E0%A4%A'],
    ['//etc/passwd']
  ])('never serves anything outside the renderer folder for %s', async (path) => {
    const running = await start()
    const res = await rawRequest(running.port, path)
    expect([400, 403, 404]).toContain(res.status)
    expect(res.body).not.toContain('top secret')
    expect(res.body).not.toContain('SECRET')
  })

  it('answers a missing file with 404 and keeps serving', async () => {
    const running = await start()
    expect((await rawRequest(running.port, '/nope.js')).status).toBe(404)
    expect((await rawRequest(running.port, '/assets/app.js')).status).toBe(200)
  })

  it('refuses methods other than GET and HEAD', async () => {
    const running = await start()
    const res = await rawRequest(running.port, '/', { method: 'POST' })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
  })

  it('answers plain HTTP at /api with 426, since data travels only over the socket', async () => {
    const running = await start()
    const res = await rawRequest(running.port, `/api?token=${running.token}`)
    expect(res.status).toBe(426)
  })

  it('on loopback, refuses requests for other host names (DNS rebinding)', async () => {
    const running = await start()
    expect((await rawRequest(running.port, '/', { host: `evil.example:${running.port}` })).status).toBe(421)
    expect((await rawRequest(running.port, '/', { host: `localhost:${running.port}` })).status).toBe(200)
  })

  it('accepts a WebSocket that presents the token', async () => {
    const running = await start()
    const client = await connectOrFail(apiUrlFor(running.url))
    const reply = await client.invoke(1, 'app:info', {})
    expect(reply).toMatchObject({ kind: 'result', id: 1, reply: { ok: true, value: { name: 'poolscope' } } })
    await client.close()
  })

  it('refuses a WebSocket without the token with 401', async () => {
    const running = await start()
    expect(await connect(`ws://127.0.0.1:${running.port}/api`)).toEqual({ status: 401 })
  })

  it('refuses a WebSocket with a wrong token with 401', async () => {
    const running = await start()
    expect(await connect(apiUrlFor(running.url, 'x'.repeat(43)))).toEqual({ status: 401 })
    expect(await connect(apiUrlFor(running.url, `${running.token}x`))).toEqual({ status: 401 })
  })

  it('refuses a WebSocket from a page on another origin, even with the token', async () => {
    const running = await start()
    expect(await connect(apiUrlFor(running.url), { origin: 'http://evil.example' })).toEqual({ status: 403 })
  })

  it('accepts a WebSocket from a page it served', async () => {
    const running = await start()
    const client = await connectOrFail(apiUrlFor(running.url), { origin: `http://127.0.0.1:${running.port}` })
    await client.close()
  })

  it('refuses WebSockets on any path but /api', async () => {
    const running = await start()
    expect(await connect(`ws://127.0.0.1:${running.port}/other?token=${running.token}`)).toEqual({ status: 404 })
  })

  it('warns when bound beyond loopback, and not on loopback', async () => {
    const quiet: string[] = []
    await (await start({ warnings: quiet })).close()
    expect(quiet).toEqual([])
    const warnings: string[] = []
    await start({ host: '0.0.0.0', warnings })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('reachable from other machines')
  })

  it('rejects when the port is taken', async () => {
    const running = await start()
    const other = startServer({
      host: '127.0.0.1',
      port: running.port,
      rendererDir: fixture.rendererDir,
      dispatch: createRecordingApp().dispatch,
      hub: new EventHub(),
      allowLaunch: false
    })
    await expect(other).rejects.toThrow(/EADDRINUSE/)
  })

  it('disconnects clients and stops listening on close', async () => {
    const running = await start()
    const client = await connectOrFail(apiUrlFor(running.url))
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)))
    await running.close()
    server = undefined
    expect(await closed).toBe(1001)
    await expect(rawRequest(running.port, '/')).rejects.toThrow(/ECONNREFUSED/)
  })
})
