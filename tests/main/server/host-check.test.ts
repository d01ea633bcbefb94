import { describe, expect, it } from 'vitest'
import { hostHeaderPolicy, isLoopbackHost, isSameOrigin, isWildcardHost, urlHostFor } from '../../../main/server/host-check'

describe('isLoopbackHost', () => {
  it('recognises loopback names and addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1']) expect(isLoopbackHost(host), host).toBe(true)
  })

  it('treats every other address as reachable from the network', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.4', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false)
  })
})

describe('isWildcardHost', () => {
  it('recognises the any-interface addresses', () => {
    expect(['0.0.0.0', '::', '[::]'].every(isWildcardHost)).toBe(true)
    expect(isWildcardHost('127.0.0.1')).toBe(false)
  })
})

describe('urlHostFor', () => {
  it('brackets IPv6 addresses and keeps others as given', () => {
    expect(urlHostFor('::1')).toBe('[::1]')
    expect(urlHostFor('127.0.0.1')).toBe('127.0.0.1')
  })

  it('names a real address for a wildcard bind', () => {
    expect(isWildcardHost(urlHostFor('0.0.0.0'))).toBe(false)
  })
})

describe('hostHeaderPolicy', () => {
  it('on loopback, accepts only loopback names on our port', () => {
    const isAllowed = hostHeaderPolicy('127.0.0.1', 8123)
    expect(['127.0.0.1:8123', 'localhost:8123', 'LocalHost:8123', '[::1]:8123'].every(isAllowed)).toBe(true)
    expect(isAllowed('evil.example:8123')).toBe(false)
    expect(isAllowed('127.0.0.1:9999')).toBe(false)
    expect(isAllowed(undefined)).toBe(false)
  })

  it('beyond loopback, accepts any well-formed host but nothing that could break a header', () => {
    const isAllowed = hostHeaderPolicy('0.0.0.0', 8123)
    expect(isAllowed('lab-box.local:8123')).toBe(true)
    expect(isAllowed("x; script-src 'unsafe-inline'")).toBe(false)
    expect(isAllowed('a b')).toBe(false)
  })
})

describe('isSameOrigin', () => {
  it('accepts a browser page from the same host and refuses one from another', () => {
    expect(isSameOrigin('http://127.0.0.1:8123', '127.0.0.1:8123')).toBe(true)
    expect(isSameOrigin('http://evil.example', '127.0.0.1:8123')).toBe(false)
    expect(isSameOrigin('null', '127.0.0.1:8123')).toBe(false)
  })

  it('leaves clients that send no Origin (not browsers) to the token', () => {
    expect(isSameOrigin(undefined, '127.0.0.1:8123')).toBe(true)
  })
})
