import { request } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchUrl } from '../../tasks/crawl'
import { pageBytes, startCrawlServer, type CrawlServer } from '../../tasks/crawl-server'
import { waitFor } from '../helpers/wait-for'

let servers: CrawlServer[] = []

afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

async function serve(latencyMs = 0): Promise<CrawlServer> {
  const server = await startCrawlServer({ latencyMs })
  servers.push(server)
  return server
}

interface Answer {
  status?: number
  body?: string
  errorCode?: string
}

/** One GET with `node:http` (no client-side timers involved), settled as an answer or an error code. */
function get(url: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body }))
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? error.message }))
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code ?? error.message }))
    req.end()
  })
}

describe('startCrawlServer', () => {
  it('listens on 127.0.0.1 on a port the OS picked', async () => {
    const server = await serve()
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.port).toBeGreaterThan(0)
    expect(server.isListening).toBe(true)
  })

  it('answers a page with 200 and a body of its advertised length', async () => {
    const server = await serve()
    const answer = await get(server.urlFor('page', 3))
    expect(answer.status).toBe(200)
    expect(answer.body).toHaveLength(pageBytes(3))
  })

  it('answers missing pages with 404, broken ones with 500, and unknown paths with 404', async () => {
    const server = await serve()
    expect((await get(server.urlFor('missing', 1))).status).toBe(404)
    expect((await get(server.urlFor('broken', 2))).status).toBe(500)
    expect((await get(`${server.origin}/elsewhere`)).status).toBe(404)
    expect(server.requestCounts).toMatchObject({ missing: 2, broken: 1 })
  })

  it('resets the connection of a reset route without answering', async () => {
    const server = await serve()
    expect(await get(server.urlFor('reset', 4))).toEqual({ errorCode: 'ECONNRESET' })
  })

  it('holds every answer until the configured latency has passed', async () => {
    const server = await serve(5_000)
    // Only the server's latency timer is faked: sockets and polling run on real I/O.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let answer: Answer | undefined
    void get(server.urlFor('page', 1)).then((a) => (answer = a))
    await waitFor('the request to arrive', () => server.requestCounts.page === 1)
    await vi.advanceTimersByTimeAsync(4_999)
    await new Promise((resolve) => setImmediate(resolve))
    expect(answer).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()
    await waitFor('the answer', () => answer)
    expect(answer?.status).toBe(200)
  })

  it('lets a request override the latency with ?latencyMs=', async () => {
    const server = await serve(60_000)
    expect((await get(`${server.urlFor('page', 2)}?latencyMs=0`)).status).toBe(200)
  })

  it('leaves a hanging route unanswered, so a client with a timeout reports a timeout', async () => {
    const server = await serve()
    const outcome = await fetchUrl({ index: 0, url: server.urlFor('hang', 0), timeoutMs: 100 })
    expect(outcome).toMatchObject({ ok: false, error: 'timeout' })
  })

  it('still has not answered a hanging request when it closes', async () => {
    const server = await serve()
    let answer: Answer | undefined
    const hanging = get(server.urlFor('hang', 1)).then((a) => (answer = a))
    await waitFor('the hanging request to arrive', () => server.requestCounts.hang === 1)
    expect(answer).toBeUndefined()
    await server.close()
    await hanging
    expect(answer).toEqual({ errorCode: 'ECONNRESET' })
  })

  it('closes while a request hangs and a keep-alive connection is open, then refuses new connections', async () => {
    const server = await serve()
    // fetch keeps its connection alive after this answer.
    expect(await fetchUrl({ index: 0, url: server.urlFor('page', 0), timeoutMs: 5_000 })).toMatchObject({ status: 200 })
    const hanging = get(server.urlFor('hang', 1))
    await waitFor('the hanging request to arrive', () => server.requestCounts.hang === 1)
    await server.close()
    expect(server.isListening).toBe(false)
    await hanging
    expect(await fetchUrl({ index: 1, url: server.urlFor('page', 1), timeoutMs: 5_000 })).toMatchObject({ ok: false, error: 'refused' })
  })

  it('cancels answers still waiting out their latency when it closes', async () => {
    const server = await serve(60_000)
    const waiting = get(server.urlFor('page', 5))
    await waitFor('the request to arrive', () => server.requestCounts.page === 1)
    await server.close()
    expect((await waiting).errorCode).toBe('ECONNRESET')
  })
})
