/**
 * Who may open the API socket: generated `Host` and `Origin` headers, first against the policy
 * functions in-process, then as raw upgrade requests to a real server on 127.0.0.1:0 (raw, because
 * a client library would refuse to send most of them). Only a loopback name on our port, with no
 * Origin or our own origin, and the token, gets 101 Switching Protocols.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostHeaderPolicy, isSameOrigin } from '../../main/server/host-check'
import { rawUpgrade, startFixtureServer, type FixtureServer } from '../main/server/server-helpers'
import { fuzzRuns } from './fuzz-config'
import { brokenText } from './hostile-values'

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

/** Host header values that look like ours but are not, and the odd ones around them. */
function hostHeader(port: number): fc.Arbitrary<string> {
  const near = fc.constantFrom(
    ...LOOPBACK_NAMES.map((n) => `${n}:${port}`),
    ...LOOPBACK_NAMES.map((n) => `${n.toUpperCase()}:${port}`),
    `127.0.0.1:${port + 1}`,
    `127.0.0.1:0${port}`,
    '127.0.0.1',
    'localhost',
    `localhost.:${port}`,
    `127.0.0.2:${port}`,
    `127.1:${port}`,
    `0x7f000001:${port}`,
    `2130706433:${port}`,
    `[::ffff:127.0.0.1]:${port}`,
    `127.0.0.1:${port}.evil.example`,
    `evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
    `127.0.0.1:${port}@evil.example`,
    `127.0.0.1:${port}/`,
    `user@127.0.0.1:${port}`,
    ` 127.0.0.1:${port}`,
    ''
  )
  return fc.oneof({ weight: 3, arbitrary: near }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }, { weight: 1, arbitrary: brokenText })
}

function originHeader(port: number): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      ...LOOPBACK_NAMES.map((n) => `http://${n}:${port}`),
      `https://127.0.0.1:${port}`,
      `ws://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}/`,
      `http://127.0.0.1:${port + 1}`,
      `http://127.0.0.1:${port}.evil.example`,
      'http://evil.example',
      'null',
      'file://',
      'chrome-extension://abcdefghijklmnop',
      ''
    ),
    fc.string({ maxLength: 30 })
  )
}

describe('the Host and Origin policy, in-process', () => {
  it('on loopback accepts exactly the loopback names on our port, in any case', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65_535 }).chain((port) => fc.tuple(fc.constant(port), hostHeader(port))), ([port, host]) => {
        const isAllowed = hostHeaderPolicy('127.0.0.1', port)
        expect(isAllowed(host)).toBe(LOOPBACK_NAMES.map((n) => `${n}:${port}`).includes(host.toLowerCase()))
      }),
      fuzzRuns(3_000)
    )
  })

  it('beyond loopback accepts only header-safe host names', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65_535 }).chain((port) => hostHeader(port)), (host) => {
        if (hostHeaderPolicy('0.0.0.0', 8123)(host)) expect(host).toMatch(/^[A-Za-z0-9.:[\]-]+$/)
      }),
      fuzzRuns(2_000)
    )
  })

  it('takes an Origin only when absent (not a browser) or exactly our own http origin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65_535 }).chain((port) => fc.tuple(originHeader(port), hostHeader(port))), ([origin, host]) => {
        expect(isSameOrigin(origin, host)).toBe(origin === undefined || origin.toLowerCase() === `http://${host.toLowerCase()}`)
      }),
      fuzzRuns(2_000)
    )
  })
})

let running: FixtureServer

beforeAll(async () => {
  running = await startFixtureServer()
})
afterAll(() => running?.close())

describe('the Host and Origin guard, over real upgrades', () => {
  it('switches protocols only for our host, our origin (or none) and the token; refuses the rest with 4xx', async () => {
    const { port, token } = running.server
    const allowedHosts = LOOPBACK_NAMES.map((n) => `${n}:${port}`)
    // Characters the HTTP parser refuses in a header make the request malformed (400) before we see it.
    const headerSafe = (value: string) => /^[\t\x20-\x7e]*$/.test(value) && value.trim() === value
    const request = fc.record({
      host: hostHeader(port).filter(headerSafe),
      origin: originHeader(port).filter((o) => o === undefined || (headerSafe(o) && o !== '')),
      token: fc.constantFrom(token, token, '', 'x'.repeat(43), `${token}x`)
    })
    let switched = 0
    await fc.assert(
      fc.asyncProperty(request, async (headers) => {
        const status = await rawUpgrade(port, headers.token, [`Host: ${headers.host}`, ...(headers.origin === undefined ? [] : [`Origin: ${headers.origin}`])])
        const isOurHost = allowedHosts.includes(headers.host.toLowerCase())
        const isOurOrigin = headers.origin === undefined || headers.origin.toLowerCase() === `http://${headers.host.toLowerCase()}`
        const expected = isOurHost && headers.token === token && isOurOrigin ? 101 : undefined
        if (expected === 101) {
          expect(status).toBe(101)
          switched++
        } else {
          expect(status, JSON.stringify(headers)).toBeGreaterThanOrEqual(400)
          expect(status, JSON.stringify(headers)).toBeLessThan(500)
          // The first failing check decides: a foreign host is 421 whatever else it carries.
          if (!isOurHost && headers.host !== '') expect(status, JSON.stringify(headers)).toBe(421)
        }
      }),
      fuzzRuns(400)
    )
    expect(switched).toBeGreaterThan(0)
  })
})
