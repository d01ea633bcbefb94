import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../main/server/csp'

function directives(policy: string): Map<string, string> {
  return new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.slice(d.indexOf(' ') + 1)]))
}

describe('contentSecurityPolicy', () => {
  it('denies by default and allows scripts only from our origin, never inline or eval', () => {
    const policy = directives(contentSecurityPolicy())
    expect(policy.get('default-src')).toBe("'none'")
    expect(policy.get('script-src')).toBe("'self'")
    expect(policy.get('style-src')).toBe("'self'")
    expect(policy.get('frame-ancestors')).toBe("'none'")
    expect(policy.get('base-uri')).toBe("'none'")
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(inline|eval)/)
  })

  it('adds exactly the socket origins it is given to connect-src', () => {
    const policy = directives(contentSecurityPolicy({ connectSources: ['ws://127.0.0.1:8123'] }))
    expect(policy.get('connect-src')).toBe("'self' ws://127.0.0.1:8123")
  })

  it('allows inline styles only when asked, for the dev server', () => {
    expect(directives(contentSecurityPolicy({ allowInlineStyles: true })).get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(directives(contentSecurityPolicy({ allowInlineStyles: true })).get('script-src')).toBe("'self'")
  })
})
