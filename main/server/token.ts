/**
 * The browser-mode access token: 32 random bytes, url-safe, printed once in the dashboard URL. The
 * WebSocket that carries every request and event refuses connections without it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'

const TOKEN_BYTES = 32
const WELL_FORMED = /^[A-Za-z0-9_-]{16,512}$/

/** A fresh token, base64url (no `+`, `/` or `=`, so it needs no escaping in a URL). */
export function createToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

/** Whether `token` can serve as one: url-safe characters, long enough not to be guessed. */
export function isWellFormedToken(token: string): boolean {
  return WELL_FORMED.test(token)
}

/** Compares in constant time, so the comparison leaks nothing about how much of a guess matched. */
export function tokensEqual(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
