import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AppOptions } from '../../../main/app'
import { startBrowserMode, type BrowserMode } from '../../../main/server/browser-mode'
import { apiUrlFor, connectOrFail, createRendererFixture, rawRequest } from './server-helpers'
import { createRecordingApp, type RecordingApp } from './test-app'

let fixture: Awaited<ReturnType<typeof createRendererFixture>>
let session: BrowserMode | undefined

beforeAll(async () => {
  fixture = await createRendererFixture()
})
afterAll(() => fixture.remove())
afterEach(async () => {
  await session?.close()
  session = undefined
})

function harness() {
  const out: string[] = []
  const err: string[] = []
  type CreateOptions = Pick<AppOptions, 'hub' | 'mode' | 'allowLaunch'>
  const created: { app?: RecordingApp; options?: CreateOptions } = {}
  const deps = {
    createApp: (options: CreateOptions) => {
      created.options = options
      created.app = createRecordingApp({ allowLaunch: options.allowLaunch })
      return created.app
    },
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) }
  }
  return { out, err, created, deps }
}

const options = () => ({ host: '127.0.0.1', port: 0, allowLaunch: false, rendererDir: fixture.rendererDir })

describe('startBrowserMode', () => {
  it('prints the dashboard URL, token included, as the first stdout line', async () => {
    const { out, deps } = harness()
    session = await startBrowserMode(options(), deps)
    const firstLine = out.join('').split('\n')[0]!
    expect(firstLine).toMatch(/^PoolScope dashboard: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/)
    expect(firstLine).toBe(`PoolScope dashboard: ${session.url}`)
    expect(firstLine).not.toContain(':0/')
  })

  it('creates the app for browser mode with the hub and the launch setting', async () => {
    const { created, deps } = harness()
    session = await startBrowserMode({ ...options(), allowLaunch: true }, deps)
    expect(created.options).toMatchObject({ mode: 'browser', allowLaunch: true })
    expect(created.options?.hub).toBeDefined()
  })

  it('serves the app and forwards its events over the printed URL', async () => {
    const { created, deps } = harness()
    session = await startBrowserMode(options(), deps)
    expect((await rawRequest(Number(new URL(session.url).port), '/')).status).toBe(200)
    const client = await connectOrFail(apiUrlFor(session.url))
    expect(await client.invoke(1, 'app:info', {})).toMatchObject({ reply: { ok: true, value: { version: '0.0.0-test' } } })
    created.options!.hub.publish('bench:progress', { benchId: 'b', phase: 'run', workers: 2, run: 1, of: 3, done: 1, total: 6 })
    expect(await client.next()).toMatchObject({ kind: 'event', channel: 'bench:progress' })
    await client.close()
  })

  it('prints a warning on stderr, not stdout, when bound beyond loopback', async () => {
    const { out, err, deps } = harness()
    session = await startBrowserMode({ ...options(), host: '0.0.0.0' }, deps)
    expect(out.join('')).toMatch(/^PoolScope dashboard: /)
    expect(err.join('')).toContain('warning')
  })

  it('disposes the app when closed', async () => {
    const { created, deps } = harness()
    session = await startBrowserMode(options(), deps)
    await session.close()
    session = undefined
    expect(created.app?.isDisposed).toBe(true)
  })

  it('disposes the app and prints nothing when the server cannot start', async () => {
    const first = harness()
    session = await startBrowserMode(options(), first.deps)
    const port = Number(new URL(session.url).port)
    const second = harness()
    await expect(startBrowserMode({ ...options(), port }, second.deps)).rejects.toThrow(/EADDRINUSE/)
    expect(second.created.app?.isDisposed).toBe(true)
    expect(second.out).toEqual([])
  })
})
