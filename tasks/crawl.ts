/**
 * crawl — fetches a list of URLs on a pool, each worker one request at a time, and reports every
 * URL's status, size and time or its error. With no URLs given, it starts its own local site
 * (`crawl-server.ts`) that answers with chosen statuses, resets connections and hangs, so the
 * outcome of each URL is known in advance and checked.
 */
import { defineTask } from './task-definition'
import { flag, integer, textList } from './params'
import { ROUTE_STATUS, pageBytes, startCrawlServer, type CrawlRouteKind, type CrawlServer } from './crawl-server'

/** Why a request produced no response. */
export type FetchErrorKind = 'timeout' | 'reset' | 'refused' | 'other'

/** One URL's outcome: a response (any status) or an error. */
export type FetchOutcome =
  | { index: number; url: string; ok: true; status: number; bytes: number; ms: number }
  | { index: number; url: string; ok: false; error: FetchErrorKind; message: string; ms: number }

/** One URL to fetch, with its place in the list and its timeout. */
export interface FetchRequest {
  index: number
  url: string
  timeoutMs: number
}

/** Error codes (of the error or its `cause`) that mean the server dropped the connection. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

/** The local site's mix, repeated over the URLs; one more URL (the last) hangs when asked. */
const SITE_MIX: readonly CrawlRouteKind[] = ['page', 'page', 'missing', 'page', 'broken', 'page', 'reset']

/**
 * Worker side: fetches one URL with Node's global `fetch`, reading the whole body, within
 * `timeoutMs` for headers and body together. Never throws: errors are part of the outcome.
 */
export async function fetchUrl(request: FetchRequest): Promise<FetchOutcome> {
  const { index, url, timeoutMs } = request
  const began = performance.now()
  const elapsed = () => Math.round((performance.now() - began) * 100) / 100
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })
    const body = await response.arrayBuffer()
    return { index, url, ok: true, status: response.status, bytes: body.byteLength, ms: elapsed() }
  } catch (error) {
    const kind = classifyFetchError(error)
    const message = kind === 'timeout' ? `no complete response within ${timeoutMs} ms` : describe(error)
    return { index, url, ok: false, error: kind, message, ms: elapsed() }
  }
}

/** Names a fetch failure: undici wraps socket errors as `TypeError('fetch failed', { cause })`. */
export function classifyFetchError(error: unknown): FetchErrorKind {
  const name = (error as { name?: unknown } | null)?.name
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError; fetch rethrows it as is.
  if (name === 'TimeoutError') return 'timeout'
  const codes = [codeOf(error), codeOf((error as { cause?: unknown } | null)?.cause)]
  if (codes.some((code) => code !== undefined && RESET_CODES.has(code))) return 'reset'
  if (codes.includes('ECONNREFUSED')) return 'refused'
  return 'other'
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/** What the local site will do for each URL, in order. */
export interface PlannedUrl {
  url: string
  kind: CrawlRouteKind
}

/** The local site's URLs: `count` of them, the last one hanging when `hasHang`. */
export function planSiteUrls(server: Pick<CrawlServer, 'urlFor'>, count: number, hasHang: boolean): PlannedUrl[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: CrawlRouteKind = hasHang && i === count - 1 ? 'hang' : SITE_MIX[i % SITE_MIX.length]
    return { url: server.urlFor(kind, i), kind }
  })
}

/** Compares an outcome with what the local site was set up to do; returns the mismatch, if any. */
export function mismatch(planned: PlannedUrl, outcome: FetchOutcome, n: number): string | undefined {
  const { kind } = planned
  const got = outcome.ok ? `status ${outcome.status}` : `error ${outcome.error}`
  if (kind === 'hang') return !outcome.ok && outcome.error === 'timeout' ? undefined : `${planned.url}: expected a timeout, got ${got}`
  if (kind === 'reset') return !outcome.ok && outcome.error === 'reset' ? undefined : `${planned.url}: expected a reset, got ${got}`
  const status = ROUTE_STATUS[kind]
  if (!outcome.ok || outcome.status !== status) return `${planned.url}: expected status ${status}, got ${got}`
  if (kind === 'page' && outcome.bytes !== pageBytes(n)) return `${planned.url}: expected ${pageBytes(n)} bytes, got ${outcome.bytes}`
  return undefined
}

export default defineTask({
  id: 'crawl',
  title: 'Crawl URLs in parallel',
  description:
    'Fetches a list of URLs on a pool, one request per task, and reports each one’s status, size and time, or its ' +
    'error, a per-request timeout included. With no URLs given it starts a local test site on 127.0.0.1 whose pages ' +
    'answer 200, 404 or 500 after a set latency, reset the connection, or hang, and checks every outcome against ' +
    'that plan; the site is shut down afterwards. The work is waiting, so more workers than cores still help.',
  pattern: 'Pool.imap_unordered over I/O-bound requests, with per-request timeouts',
  params: (z) =>
    z
      .object({
        urls: textList({ default: [], maxItems: 1000, description: 'URLs to fetch (empty: a local test site)' }).refine(
          (urls) => urls.every(isHttpUrl),
          { error: 'must be http:// or https:// URLs' }
        ),
        count: integer({ min: 1, max: 1000, default: 15, description: 'Local site: how many URLs' }),
        latencyMs: integer({ min: 0, max: 10_000, default: 100, description: 'Local site: wait before each answer, ms' }),
        hang: flag({ default: true, description: 'Local site: make the last URL hang (it must end as a timeout)' }),
        timeoutMs: integer({ min: 1, max: 120_000, default: 1000, description: 'Per-request timeout, ms' })
      })
      .strict(),
  async run(ctx) {
    const { urls, count, latencyMs, hang, timeoutMs } = ctx.params
    const server = urls.length === 0 ? await startCrawlServer({ latencyMs }) : undefined
    const planned: { url: string; kind: CrawlRouteKind | undefined }[] = server
      ? planSiteUrls(server, count, hang)
      : urls.map((url) => ({ url, kind: undefined }))
    const outcomes: (FetchOutcome | undefined)[] = new Array(planned.length).fill(undefined)
    let isServerClosed: boolean | undefined
    try {
      if (server) ctx.log(`local test site at ${server.origin}`)
      const pool = await ctx.createPool()
      const requests: FetchRequest[] = planned.map(({ url }, index) => ({ index, url, timeoutMs }))
      let done = 0
      for await (const outcome of pool.imapUnordered<FetchOutcome>('crawl:fetchUrl', requests, { chunksize: 1, signal: ctx.signal })) {
        outcomes[outcome.index] = outcome
        ctx.progress(++done, planned.length)
        ctx.log(outcome.ok ? `${outcome.status} ${outcome.url} ${outcome.bytes} B ${outcome.ms} ms` : `${outcome.error} ${outcome.url}`)
      }
    } finally {
      if (server) {
        await server.close()
        isServerClosed = !server.isListening
      }
    }

    const failures: string[] = []
    const missing = outcomes.filter((outcome) => outcome === undefined).length
    if (missing > 0) failures.push(`${missing} URLs have no outcome`)
    if (server) {
      planned.forEach((plan, i) => {
        const outcome = outcomes[i]
        const wrong = outcome && plan.kind ? mismatch({ url: plan.url, kind: plan.kind }, outcome, i) : undefined
        if (wrong) failures.push(wrong)
      })
      if (!isServerClosed) failures.push('the local site is still listening')
    }
    const byStatus = tally(outcomes)

    return {
      result: {
        site: server ? { origin: server.origin, latencyMs, closed: isServerClosed } : undefined,
        timeoutMs,
        summary: byStatus,
        urls: outcomes.map((outcome, i) => ({ ...outcome, ...(planned[i].kind ? { planned: planned[i].kind } : {}) }))
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all ${planned.length} URLs accounted for (${Object.entries(byStatus)
                .map(([key, n]) => `${n}× ${key}`)
                .join(', ')})${server ? ', each as the local site was set up; the site is closed' : ''}`
            : failures.join('; ')
      }
    }
  }
})

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/** Counts outcomes by status or error kind: `{ "200": 9, "404": 2, timeout: 1 }`. */
function tally(outcomes: readonly (FetchOutcome | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const outcome of outcomes) {
    if (!outcome) continue
    const key = outcome.ok ? String(outcome.status) : outcome.error
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}
