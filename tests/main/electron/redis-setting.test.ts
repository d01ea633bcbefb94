import { describe, expect, it } from 'vitest'
import { redisFromEnvironment } from '../../../main/electron/redis-setting'

describe('redisFromEnvironment', () => {
  it('names no cluster when POOLSCOPE_REDIS is unset or empty', () => {
    expect(redisFromEnvironment({})).toBeUndefined()
    expect(redisFromEnvironment({ POOLSCOPE_REDIS: '  ' })).toBeUndefined()
  })

  it('reads the cluster from POOLSCOPE_REDIS, password masked for display', () => {
    expect(redisFromEnvironment({ POOLSCOPE_REDIS: 'redis://:secret@127.0.0.1:6390' })).toMatchObject({
      host: '127.0.0.1',
      port: 6390,
      masked: 'redis://:***@127.0.0.1:6390'
    })
  })

  it('refuses a value that is not a Redis URL, naming the variable and never the password', () => {
    expect(() => redisFromEnvironment({ POOLSCOPE_REDIS: 'http://u:secret@host' })).toThrow(/^POOLSCOPE_REDIS: /)
    expect(() => redisFromEnvironment({ POOLSCOPE_REDIS: 'http://u:secret@host' })).not.toThrow(/secret/)
  })
})
