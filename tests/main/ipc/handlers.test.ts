/**
 * `Handlers` is a type, so what it promises is checked by the compiler: this file type-checks
 * (`tsc -p tsconfig.node.json`) only while each `@ts-expect-error` below stays an error.
 */
import { describe, expect, it } from 'vitest'
import type { Handlers } from '../../../main/ipc/handlers'
import { createRecordingHandlers } from '../server/test-app'

describe('Handlers', () => {
  it('does not compile with a channel left unanswered, an unknown channel, or a wrong result', () => {
    const { 'run:list': answered, ...withoutRunList } = createRecordingHandlers().handlers
    // @ts-expect-error 'run:list' is missing: every channel needs its handler
    const incomplete: Handlers = { ...withoutRunList }
    // @ts-expect-error 'run:explode' is not a channel of the contract
    const unknown = { 'run:explode': () => ({ ok: true }) } satisfies Partial<Handlers>
    // @ts-expect-error 'run:list' answers RunSummary[], not a number
    const wrong = { 'run:list': () => 42 } satisfies Partial<Handlers>
    // @ts-expect-error 'run:stop' gets { runId }, which has no workerId
    const misread = { 'run:stop': ({ workerId }) => ({ stopped: workerId > 0 }) } satisfies Partial<Handlers>
    expect([answered, incomplete, unknown, wrong, misread].every((value) => value !== null)).toBe(true)
  })
})
