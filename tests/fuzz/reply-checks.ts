/** What every reply to a fuzzed request must look like, over any transport. */
import { expect } from 'vitest'
import type { WireReply } from '../../shared/ws-transport'
import { formatPath } from '../../main/ipc/payload-issues'
import type { InvalidCase } from './zod-arbitrary'

const ERROR_CODES = ['invalid-payload', 'unknown-channel', 'forbidden', 'not-found', 'failed']

/**
 * A reply the renderer can read: `ok` with a value, or an error with a known code and a message;
 * an `invalid-payload` error lists its bad fields, each a path and a sentence. It must also be
 * small and serialisable whatever was sent.
 */
export function expectWellFormedReply(reply: WireReply): void {
  expect(typeof reply.ok).toBe('boolean')
  if (reply.ok) return
  expect(ERROR_CODES).toContain(reply.error.code)
  expect(typeof reply.error.message).toBe('string')
  expect(reply.error.message.length).toBeGreaterThan(0)
  if (reply.error.code === 'invalid-payload' && reply.error.issues !== undefined) {
    expect(reply.error.issues.length).toBeGreaterThan(0)
    for (const issue of reply.error.issues) {
      expect(typeof issue.path).toBe('string')
      expect(typeof issue.message).toBe('string')
    }
  }
  // A hostile 100,000-character value must not come back whole.
  expect(JSON.stringify(reply).length).toBeLessThan(20_000)
}

/** The refusal of a payload broken in one field: `invalid-payload`, and that field among the issues. */
export function expectRefusalNaming(reply: WireReply, broken: InvalidCase): void {
  expectWellFormedReply(reply)
  const path = formatPath(broken.path)
  if (reply.ok) throw new Error(`accepted a payload with ${broken.breakage} at "${path}"`)
  expect(reply.error.code, reply.error.message).toBe('invalid-payload')
  const paths = (reply.error.issues ?? []).map((issue) => issue.path)
  expect(paths, `${broken.breakage}: ${reply.error.message}`).toContain(path)
  expect(reply.error.message).toContain(path === '' ? 'arguments' : path)
}
