import { describe, expect, it } from 'vitest'
import { createToken, isWellFormedToken, tokensEqual } from '../../../main/server/token'

describe('createToken', () => {
  it('makes url-safe tokens of 32 random bytes', () => {
    const token = createToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
  })

  it('makes a different token each time', () => {
    expect(new Set(Array.from({ length: 20 }, createToken)).size).toBe(20)
  })
})

describe('isWellFormedToken', () => {
  it('accepts our tokens and refuses short or unsafe ones', () => {
    expect(isWellFormedToken(createToken())).toBe(true)
    expect(isWellFormedToken('short')).toBe(false)
    expect(isWellFormedToken('a'.repeat(20) + '&x=1')).toBe(false)
  })
})

describe('tokensEqual', () => {
  it('matches only the identical token', () => {
    const token = createToken()
    expect(tokensEqual(token, token)).toBe(true)
    expect(tokensEqual(`${token}x`, token)).toBe(false)
    expect(tokensEqual(token.slice(1), token)).toBe(false)
    expect(tokensEqual(null, token)).toBe(false)
    expect(tokensEqual(undefined, token)).toBe(false)
    expect(tokensEqual('', token)).toBe(false)
  })
})
