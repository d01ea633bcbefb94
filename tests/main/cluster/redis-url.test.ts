import { describe, expect, it } from 'vitest'
import { maskRedisUrl, parseRedisUrl, RedisUrlError } from '../../../main/cluster/redis-url'

describe('maskRedisUrl', () => {
  it('masks the password of a URL with a user, without one, and of every URL inside a text', () => {
    expect(maskRedisUrl('redis://user:s3cret@host:6379')).toBe('redis://user:***@host:6379')
    expect(maskRedisUrl('rediss://:s3cret@host:6380/2')).toBe('rediss://:***@host:6380/2')
    expect(maskRedisUrl('a redis://u:p@one:1 and REDIS://:q@two:2 b')).toBe('a redis://u:***@one:1 and REDIS://:***@two:2 b')
  })

  it('leaves a URL without a password, and a user name alone, as they are', () => {
    expect(maskRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379')
    expect(maskRedisUrl('redis://user@host:6379')).toBe('redis://user@host:6379')
  })
})

describe('parseRedisUrl', () => {
  it('reads host, port (default 6379) and TLS, and keeps a masked copy for messages', () => {
    expect(parseRedisUrl('redis://u:pw@example.org')).toEqual({
      url: 'redis://u:pw@example.org',
      masked: 'redis://u:***@example.org',
      host: 'example.org',
      port: 6379,
      isTls: false
    })
    expect(parseRedisUrl('rediss://[::1]:7000/3')).toMatchObject({ host: '::1', port: 7000, isTls: true })
  })

  it('refuses what is not a Redis URL, showing it masked', () => {
    expect(() => parseRedisUrl('http://u:pw@host:1')).toThrow(RedisUrlError)
    expect(() => parseRedisUrl('http://u:pw@host:1')).toThrow('got "http://u:***@host:1"')
    expect(() => parseRedisUrl('localhost:6379')).toThrow(/redis:\/\//)
    expect(() => parseRedisUrl('redis://:pw@host/x')).toThrow('redis://:***@host/x: the path must be a database number')
  })
})
