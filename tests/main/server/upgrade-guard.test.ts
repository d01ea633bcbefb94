/** Who may open the API socket: the Host, token and Origin checks of the upgrade, by example. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawUpgrade, startFixtureServer, type FixtureServer } from './server-helpers'

let running: FixtureServer

beforeAll(async () => {
  running = await startFixtureServer()
})
afterAll(() => running?.close())

function upgrade(headerLines: string[], token = running.server.token): Promise<number> {
  return rawUpgrade(running.server.port, token, headerLines)
}

describe('the upgrade guard', () => {
  it('lets our own page in: loopback host, its own origin, the token', async () => {
    const host = `127.0.0.1:${running.server.port}`
    expect(await upgrade([`Host: ${host}`, `Origin: http://${host}`])).toBe(101)
    expect(await upgrade([`Host: localhost:${running.server.port}`])).toBe(101)
  })

  it('refuses a rebinding page: a foreign Host with its own matching Origin and even the token gets 421', async () => {
    const host = `evil.example:${running.server.port}`
    expect(await upgrade([`Host: ${host}`, `Origin: http://${host}`])).toBe(421)
  })

  it.each([
    ['another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['no port', () => '127.0.0.1'],
    ['another loopback address', (port: number) => `127.0.0.2:${port}`],
    ['a numeric spelling of loopback', (port: number) => `2130706433:${port}`],
    ['a name that only starts like ours', (port: number) => `127.0.0.1.evil.example:${port}`]
  ])('refuses a Host with %s with 421', async (_what, host) => {
    expect(await upgrade([`Host: ${host(running.server.port)}`])).toBe(421)
  })

  it('refuses an upgrade without a Host header', async () => {
    expect(await upgrade([])).toBeGreaterThanOrEqual(400)
  })

  it.each([
    ['another site', () => 'http://evil.example'],
    ['an opaque origin', () => 'null'],
    ['https on our port', (port: number) => `https://127.0.0.1:${port}`],
    ['our host name on another port', (port: number) => `http://127.0.0.1:${port + 1}`],
    ['another loopback name than the Host', (port: number) => `http://localhost:${port}`],
    ['a browser extension', () => 'chrome-extension://abcdefghijklmnop']
  ])('refuses an Origin of %s with 403, even with the token', async (_what, origin) => {
    expect(await upgrade([`Host: 127.0.0.1:${running.server.port}`, `Origin: ${origin(running.server.port)}`])).toBe(403)
  })

  it('refuses our own origin without the token with 401', async () => {
    const host = `127.0.0.1:${running.server.port}`
    expect(await upgrade([`Host: ${host}`, `Origin: http://${host}`], '')).toBe(401)
  })
})
