/**
 * The gatekeeper in-process, for every request channel of the contract (read from the contract,
 * so a new channel is fuzzed without a change here): payloads broken in one field are refused with
 * that field named and no handler run; valid payloads run their handler exactly once; anything at
 * all gets a well-formed reply and never a throw. Then every catalog task's parameters, through the
 * real `run:start` handler (which parses them) with the run manager's `start` spied on.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { z } from 'zod'
import { requestChannels, requests } from '../../shared/contract'
import { createDispatcher } from '../../main/ipc/dispatcher'
import { EventHub } from '../../main/ipc/event-hub'
import { createRunFeature } from '../../main/runs/run-feature'
import { catalog } from '../../tasks'
import { createCountingHandlers } from './counting-handlers'
import { fuzzRuns } from './fuzz-config'
import { deepNesting, hugeArray, hugeString, prototypeKeyObject, specialNumber } from './hostile-values'
import { expectRefusalNaming, expectWellFormedReply } from './reply-checks'
import { invalidArbitrary, validArbitrary } from './zod-arbitrary'

/** Cases per channel and property: 17 channels × (300 + 60 + 150) ≈ 8,700 requests. */
const INVALID_RUNS = 300
const VALID_RUNS = 60
const ANYTHING_RUNS = 150

const ctx = { senderId: 'fuzz' }

/** Anything a caller in-process could pass: every JS value kind, prototype keys, huge and deep values. */
const anyPayload = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
  prototypeKeyObject,
  hugeString,
  hugeArray,
  deepNesting,
  specialNumber,
  fc.constant(undefined)
)

describe.each(requestChannels)('the dispatcher on %s', (channel) => {
  const schema = requests[channel].args as z.ZodType

  it('refuses a payload broken in any one field, naming the field, and runs no handler', async () => {
    const invalid = invalidArbitrary(schema)
    expect(invalid, `${channel} accepts anything: nothing to refuse`).toBeDefined()
    const counting = createCountingHandlers()
    const dispatch = createDispatcher(counting.handlers)
    await fc.assert(
      fc.asyncProperty(invalid!, async (broken) => {
        expectRefusalNaming(await dispatch(channel, broken.value, ctx), broken)
        expect(counting.totalRuns()).toBe(0)
      }),
      fuzzRuns(INVALID_RUNS)
    )
    // Still serving: the next valid request runs.
    const [valid] = fc.sample(validArbitrary(schema).filter((v) => schema.safeParse(v).success), { numRuns: 1, seed: 1 })
    await dispatch(channel, valid, ctx)
    expect(counting.runs(channel)).toBe(1)
  })

  it('runs the handler exactly once for every valid payload', async () => {
    const counting = createCountingHandlers()
    const dispatch = createDispatcher(counting.handlers)
    const valid = validArbitrary(schema).filter((v) => schema.safeParse(v).success)
    await fc.assert(
      fc.asyncProperty(valid, async (args) => {
        const before = counting.runs(channel)
        const reply = await dispatch(channel, args, ctx)
        expect(reply).toMatchObject({ ok: true, value: { channel } })
        expect(counting.runs(channel)).toBe(before + 1)
        expect(counting.totalRuns()).toBe(counting.runs(channel))
      }),
      fuzzRuns(VALID_RUNS)
    )
  })

  it('answers any value at all with a well-formed reply, running the handler at most once', async () => {
    const counting = createCountingHandlers()
    const dispatch = createDispatcher(counting.handlers)
    await fc.assert(
      fc.asyncProperty(anyPayload, async (args) => {
        const before = counting.totalRuns()
        const reply = await dispatch(channel, args, ctx)
        expectWellFormedReply(reply)
        const ran = counting.totalRuns() - before
        if (ran === 0) {
          expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
        } else {
          expect(ran).toBe(1)
          expect(reply).toMatchObject({ ok: true, value: { channel } })
          expect(schema.safeParse(args === undefined ? {} : args).success).toBe(true)
        }
      }),
      fuzzRuns(ANYTHING_RUNS)
    )
  })
})

describe('the dispatcher on channel names', () => {
  it('refuses every name that is not a request channel, running nothing', async () => {
    const counting = createCountingHandlers()
    const dispatch = createDispatcher(counting.handlers)
    const names = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'RUN:START', 'run:start ', ' run:start', 'run:start\u0000', 'run', ''),
      fc.anything({ withBigInt: true, withNullPrototype: true }),
      hugeString
    ).filter((name) => !(requestChannels as unknown[]).includes(name))
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        const reply = await dispatch(name, {}, ctx)
        expectWellFormedReply(reply)
        expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
      }),
      fuzzRuns(1_000)
    )
    expect(counting.totalRuns()).toBe(0)
  })
})

describe('run:start parameters of every catalog task, through the real run feature', () => {
  const feature = createRunFeature({ hub: new EventHub() })
  // Nothing starts: a call here is what "a run started" means.
  const start = vi.spyOn(feature.runs, 'start').mockImplementation(() => ({ runId: 'run-fuzz' }))
  const dispatch = createDispatcher({ ...createCountingHandlers().handlers, ...feature.handlers })
  afterAll(() => feature.dispose())

  it.each(catalog.map((task) => [task.id, task] as const))('refuses %s parameters broken in any one field, naming it, and starts nothing', async (taskId, task) => {
    const schema = task.params as unknown as z.ZodType
    const invalid = invalidArbitrary(schema)!
    start.mockClear()
    await fc.assert(
      fc.asyncProperty(invalid, async (broken) => {
        const reply = await dispatch('run:start', { taskId, workers: 1, params: broken.value }, ctx)
        expectWellFormedReply(reply)
        expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload' } })
        if (!reply.ok) {
          // The contract refuses a key it cannot take (too long) at `params[…]`; the task's schema
          // refuses the rest at `params`, naming the parameter in the message.
          expect(reply.error.issues?.map((issue) => issue.path.slice(0, 6))).toContain('params')
          const field = broken.path[0]
          if (field !== undefined) {
            const name = String(field).slice(0, 40)
            expect([name, JSON.stringify(name).slice(1, -1)].some((spelling) => reply.error.message.includes(spelling)), reply.error.message).toBe(true)
          }
        }
        expect(start).not.toHaveBeenCalled()
      }),
      fuzzRuns(120)
    )
    const valid = validArbitrary(schema).filter((v) => task.params.safeParse(v).success)
    await fc.assert(
      fc.asyncProperty(valid, async (params) => {
        start.mockClear()
        expect(await dispatch('run:start', { taskId, workers: 1, params }, ctx)).toEqual({ ok: true, value: { runId: 'run-fuzz' } })
        expect(start).toHaveBeenCalledTimes(1)
      }),
      fuzzRuns(20)
    )
  })
})
