/**
 * The host's check of a job's function ref, which comes off the wire from anyone who can reach
 * Redis: a good ref is found once and remembered; any other string is refused naming `fn` and the
 * reason, and is not remembered, so a stream of made-up refs cannot grow the host's memory.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JobDataError } from '../../../main/cluster/job-data'
import { checkedRefCount, checkWireRef } from '../../../main/cluster/wire-ref'
import { fuzzRuns } from '../../fuzz/fuzz-config'

describe('checkWireRef', () => {
  it('accepts a builtin and remembers it', async () => {
    await expect(checkWireRef('builtin:identity')).resolves.toBeUndefined()
    const count = checkedRefCount()
    await expect(checkWireRef('builtin:identity')).resolves.toBeUndefined()
    expect(checkedRefCount()).toBe(count)
  })

  it('refuses every other string naming fn and the reason, and remembers none of them', async () => {
    await checkWireRef('builtin:identity')
    const before = checkedRefCount()
    const notRegistered = fc.oneof(
      fc.string(),
      fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.stringMatching(/^[A-Za-z_$][\w$]{0,20}$/)).map(([scope, name]) => `${scope}-nope:${name}`),
      fc.constantFrom('/etc/passwd', '../main/cli.js', 'node:child_process', 'builtin:', ':identity', 'builtin:nope')
    )
    await fc.assert(
      fc.asyncProperty(notRegistered, async (ref) => {
        const error = await checkWireRef(ref).then(() => undefined, (e: unknown) => e)
        expect(error).toBeInstanceOf(JobDataError)
        expect((error as Error).message).toMatch(/^bad job data: fn /)
      }),
      fuzzRuns(300)
    )
    expect(checkedRefCount()).toBe(before)
  })
})
