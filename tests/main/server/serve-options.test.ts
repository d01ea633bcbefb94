import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../main/cli/usage-error'
import { parseServeOptions } from '../../../main/server/serve-options'

const defaults = { rendererDir: '/app/out/renderer' }

describe('parseServeOptions', () => {
  it('defaults to loopback, a free port, launching off and the built renderer', () => {
    expect(parseServeOptions({}, defaults)).toEqual({
      host: '127.0.0.1',
      port: 0,
      allowLaunch: false,
      open: false,
      rendererDir: '/app/out/renderer'
    })
  })

  it('takes the flags as given', () => {
    expect(parseServeOptions({ host: '0.0.0.0', port: '8080', allowLaunch: true, open: true, rendererDir: '/tmp/r' }, defaults)).toEqual({
      host: '0.0.0.0',
      port: 8080,
      allowLaunch: true,
      open: true,
      rendererDir: '/tmp/r'
    })
  })

  it.each([['abc'], ['-1'], ['65536'], ['80.5'], [''], ['1e3']])('refuses --port %j with a usage error naming the flag', (port) => {
    expect(() => parseServeOptions({ port }, defaults)).toThrow(UsageError)
    expect(() => parseServeOptions({ port }, defaults)).toThrow(/--port must be an integer from 0 to 65535/)
  })

  it('takes --redis as a cluster target, password masked for messages, and refuses a bad one without printing its password', () => {
    const { redis } = parseServeOptions({ redis: 'redis://:pw-1@10.0.0.5:6380' }, defaults)
    expect(redis).toMatchObject({ host: '10.0.0.5', port: 6380, masked: 'redis://:***@10.0.0.5:6380' })
    expect(parseServeOptions({}, defaults).redis).toBeUndefined()
    expect(() => parseServeOptions({ redis: 'http://u:pw-2@host' }, defaults)).toThrow(UsageError)
    expect(() => parseServeOptions({ redis: 'http://u:pw-2@host' }, defaults)).toThrow(/^--redis: (?!.*pw-2)/)
  })

  it.each([[''], ['  '], ['http://host'], ['a b']])('refuses --host %j with a usage error naming the flag', (host) => {
    expect(() => parseServeOptions({ host }, defaults)).toThrow(/--host must be/)
  })
})
