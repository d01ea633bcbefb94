import { afterEach, describe, expect, it } from 'vitest'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { classifyFetchError, mismatch, planSiteUrls, type FetchOutcome } from '../../tasks/crawl'
import { startCrawlServer, type CrawlServer } from '../../tasks/crawl-server'
import { workerScript } from '../helpers/paths'

interface CrawlResult {
  site?: { origin: string; closed: boolean }
  summary: Record<string, number>
  urls: (FetchOutcome & { planned?: string })[]
}

let servers: CrawlServer[] = []

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})

describe('crawl', () => {
  it('accounts for every URL of its local site, each as the site was set up, the hang as a timeout', async () => {
    const run = await runTask({
      // The timeout is generous so that only the hanging URL can reach it on a busy machine.
      ...parseTaskInput('crawl', { count: 8, latencyMs: 5, timeoutMs: 2_000 }),
      workers: 2,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    const result = run.result as CrawlResult
    expect(result.urls).toHaveLength(8)
    expect(result.summary).toEqual({ '200': 4, '404': 1, '500': 1, reset: 1, timeout: 1 })
    expect(result.urls[7]).toMatchObject({ planned: 'hang', ok: false, error: 'timeout' })
  })

  it('closes its local site when it finishes', async () => {
    const run = await runTask({ ...parseTaskInput('crawl', { count: 3, latencyMs: 0, hang: false }), workers: 1, backend: 'process', workerScript })
    const result = run.result as CrawlResult
    expect(result.site?.closed).toBe(true)
    const after = await runTask({ ...parseTaskInput('crawl', { urls: [`${result.site!.origin}/page/0`] }), workers: 1, backend: 'process', workerScript })
    expect((after.result as CrawlResult).urls[0]).toMatchObject({ ok: false, error: 'refused' })
  })

  it('fetches the given URLs instead of a local site and reports each one', async () => {
    const server = await startCrawlServer({ latencyMs: 0 })
    servers.push(server)
    const urls = [server.urlFor('page', 1), server.urlFor('broken', 2), server.urlFor('reset', 3)]
    const run = await runTask({ ...parseTaskInput('crawl', { urls, timeoutMs: 2_000 }), workers: 2, backend: 'thread', workerScript })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    const result = run.result as CrawlResult
    expect(result.site).toBeUndefined()
    expect(result.urls.map((u) => (u.ok ? u.status : u.error))).toEqual([200, 500, 'reset'])
  })

  it('rejects URLs that are not http or https, naming the parameter', () => {
    expect(() => parseTaskInput('crawl', { urls: ['ftp://example.org/'] })).toThrow(/urls must be http/)
  })
})

describe('planSiteUrls', () => {
  const site = { urlFor: (kind: string, n: number) => `http://site/${kind}/${n}` }

  it('mixes pages, statuses and resets, with the last URL hanging when asked', () => {
    const plan = planSiteUrls(site, 8, true)
    expect(plan.map((p) => p.kind)).toEqual(['page', 'page', 'missing', 'page', 'broken', 'page', 'reset', 'hang'])
    expect(plan[2].url).toBe('http://site/missing/2')
    expect(planSiteUrls(site, 8, false).map((p) => p.kind)).not.toContain('hang')
  })
})

describe('mismatch', () => {
  const outcome = (extra: Partial<FetchOutcome>): FetchOutcome => ({ index: 0, url: 'u', ok: true, status: 200, bytes: 512, ms: 1, ...extra }) as FetchOutcome

  it('accepts the outcome the route was set up for and names any other', () => {
    expect(mismatch({ url: 'u', kind: 'page' }, outcome({}), 0)).toBeUndefined()
    expect(mismatch({ url: 'u', kind: 'page' }, outcome({ bytes: 3 }), 0)).toMatch(/bytes/)
    expect(mismatch({ url: 'u', kind: 'missing' }, outcome({}), 0)).toMatch(/expected status 404/)
    expect(mismatch({ url: 'u', kind: 'hang' }, outcome({ ok: false, error: 'reset', message: '' } as never), 0)).toMatch(/timeout/)
  })
})

describe('classifyFetchError', () => {
  it('names timeouts, resets and refusals, wrapped or not', () => {
    expect(classifyFetchError(new DOMException('late', 'TimeoutError'))).toBe('timeout')
    expect(classifyFetchError(new TypeError('fetch failed', { cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }) }))).toBe('reset')
    expect(classifyFetchError(new TypeError('fetch failed', { cause: Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }) }))).toBe('reset')
    expect(classifyFetchError(new TypeError('fetch failed', { cause: Object.assign(new Error('no'), { code: 'ECONNREFUSED' }) }))).toBe('refused')
    expect(classifyFetchError(new Error('odd'))).toBe('other')
  })
})
