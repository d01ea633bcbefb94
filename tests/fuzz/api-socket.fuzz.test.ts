/**
 * Browser mode's WebSocket, a real server on 127.0.0.1:0, fuzzed frame by frame: every request
 * channel of the contract with payloads broken in one field (refused naming it, no handler run)
 * and valid ones (run exactly once); envelopes that are JSON but not requests; text that is not
 * JSON; binary frames; frames nested or sized to hurt the parser; text that is not UTF-8. After
 * each, the server answers the next valid request.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { z } from 'zod'
import { requestChannels, requests, type RequestChannel } from '../../shared/contract'
import type { ServerMessage, WireReply } from '../../shared/ws-transport'
import { createDispatcher } from '../../main/ipc/dispatcher'
import { MAX_MESSAGE_BYTES } from '../../main/server/api-socket'
import type { RunningServer } from '../../main/server/start-server'
import { apiUrlFor, connectOrFail, startFixtureServer, type Client, type FixtureServer } from '../main/server/server-helpers'
import { createCountingHandlers, type CountingHandlers } from './counting-handlers'
import { fuzzRuns } from './fuzz-config'
import { brokenText, hugeString, prototypeKeyObject, specialNumber, toWireJson } from './hostile-values'
import { expectRefusalNaming, expectWellFormedReply } from './reply-checks'
import { invalidArbitrary, validArbitrary } from './zod-arbitrary'

/** Cases per channel: 17 channels × (120 + 25) ≈ 2,500 frames, plus ≈ 1,700 in the suites below. */
const INVALID_RUNS = 120
const VALID_RUNS = 25

let running: FixtureServer
let server: RunningServer
let counting: CountingHandlers
let client: Client
const warnings: string[] = []

beforeAll(async () => {
  counting = createCountingHandlers()
  // No launch policy: every valid payload reaches its counting handler.
  running = await startFixtureServer({ dispatch: createDispatcher(counting.handlers), warn: (message) => warnings.push(message) })
  server = running.server
  client = await connectOrFail(apiUrlFor(server.url))
})

afterAll(async () => {
  await client?.close()
  await running?.close()
})

const schemaOf = (channel: RequestChannel) => requests[channel].args as z.ZodType

let nextId = 0

/** Sends one frame and returns the one message it is answered with. */
function exchange(text: string | Buffer, options: { binary?: boolean } = {}): Promise<ServerMessage> {
  client.ws.send(text, { binary: options.binary ?? false })
  return client.next()
}

async function invoke(channel: unknown, args: unknown): Promise<{ id: number; answer: ServerMessage }> {
  const id = ++nextId
  const answer = await exchange(`{"kind":"invoke","id":${id},"channel":${toWireJson(channel)},"args":${toWireJson(args) ?? 'null'}}`)
  return { id, answer }
}

function replyOf(answer: ServerMessage, id: number | string): WireReply {
  expect(answer.kind).toBe('result')
  const result = answer as Extract<ServerMessage, { kind: 'result' }>
  // `===`, not Object.is: an id of -0 comes back as 0, as JSON writes it.
  expect(result.id === id, `answered id ${String(result.id)}, sent ${String(id)}`).toBe(true)
  return result.reply
}

/** The server still answers a plain request, on the fuzzing connection. */
async function expectStillServing(): Promise<void> {
  const before = counting.runs('app:info')
  const { id, answer } = await invoke('app:info', {})
  expect(replyOf(answer, id)).toMatchObject({ ok: true, value: { channel: 'app:info' } })
  expect(counting.runs('app:info')).toBe(before + 1)
}

describe.each(requestChannels)('the API socket on %s', (channel) => {
  const schema = schemaOf(channel)

  it('refuses a payload broken in any one field, naming the field, and runs no handler', async () => {
    const invalid = invalidArbitrary(schema)
    expect(invalid).toBeDefined()
    const wire = invalid!.filter((broken) => toWireJson(broken.value).length < MAX_MESSAGE_BYTES - 200)
    await fc.assert(
      fc.asyncProperty(wire, async (broken) => {
        const before = counting.totalRuns()
        const { id, answer } = await invoke(channel, broken.value)
        expectRefusalNaming(replyOf(answer, id), broken)
        expect(counting.totalRuns()).toBe(before)
      }),
      fuzzRuns(INVALID_RUNS)
    )
    await expectStillServing()
  })

  it('runs the handler exactly once for every valid payload', async () => {
    const valid = validArbitrary(schema).filter((v) => schema.safeParse(v).success)
    await fc.assert(
      fc.asyncProperty(valid, async (args) => {
        const before = counting.runs(channel)
        const { id, answer } = await invoke(channel, args)
        expect(replyOf(answer, id)).toMatchObject({ ok: true, value: { channel } })
        expect(counting.runs(channel)).toBe(before + 1)
      }),
      fuzzRuns(VALID_RUNS)
    )
  })
})

/** Anything but a request envelope's own fields, in any of its four places. */
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), brokenText, hugeString.map((s) => s.slice(0, 20_000)), specialNumber, prototypeKeyObject)

describe('the API socket on envelopes that are JSON but not requests', () => {
  it('answers each by id when it has one, else with a protocol error, and runs nothing it should not', async () => {
    const envelope = fc.record(
      {
        kind: fc.oneof(fc.constant('invoke'), junk),
        id: fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 64 }), junk, fc.constant(2 ** 53), fc.constant(1.5), fc.constant('x'.repeat(65))),
        channel: fc.oneof(fc.constantFrom(...requestChannels), junk),
        args: fc.oneof(junk, fc.constant({}))
      },
      { requiredKeys: [] }
    )
    const message = fc.oneof({ weight: 4, arbitrary: envelope }, { weight: 1, arbitrary: junk })
    await fc.assert(
      fc.asyncProperty(message, async (value) => {
        const before = counting.totalRuns()
        const answer = await exchange(toWireJson(value))
        const ran = counting.totalRuns() - before
        const m = value as Record<string, unknown>
        const isEnvelope = typeof value === 'object' && value !== null && !Array.isArray(value)
        const hasId = isEnvelope && ((typeof m.id === 'number' && Number.isSafeInteger(m.id)) || (typeof m.id === 'string' && m.id.length >= 1 && m.id.length <= 64))
        if (!hasId) {
          expect(answer).toMatchObject({ kind: 'error', error: { code: 'invalid-payload' } })
          expect(ran).toBe(0)
          return
        }
        const reply = replyOf(answer, m.id as never)
        expectWellFormedReply(reply)
        if (m.kind !== 'invoke') expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: expect.stringContaining('kind') } })
        else if (!(requestChannels as unknown[]).includes(m.channel)) expect(reply).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
        // A request reaches its handler unless the gatekeeper refused its arguments.
        const isRefused = !reply.ok && reply.error.code === 'invalid-payload'
        expect(ran).toBe(m.kind === 'invoke' && !isRefused && (requestChannels as unknown[]).includes(m.channel) ? 1 : 0)
      }),
      fuzzRuns(1_000)
    )
    await expectStillServing()
  })

  it('answers text that is not JSON with a protocol error', async () => {
    const notJson = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('NaN', '{"id":1,"kind":"invoke",}', "{'id':1}", '{"id":1', 'undefined', '\ufeff{}', '{"a":1e99999999999999999999}x'))
    await fc.assert(
      fc.asyncProperty(notJson.filter(isNotJson), async (text) => {
        expect(await exchange(text)).toMatchObject({ kind: 'error', error: { code: 'invalid-payload', message: expect.stringContaining('JSON') } })
      }),
      fuzzRuns(300)
    )
    await expectStillServing()
  })

  it('answers every binary frame with a protocol error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => {
        expect(await exchange(Buffer.from(bytes), { binary: true })).toMatchObject({ kind: 'error', error: { message: expect.stringContaining('binary') } })
      }),
      fuzzRuns(200)
    )
    await expectStillServing()
  })

  it('answers frames nested 1,000 to 400,000 deep, in any field, without a crash', async () => {
    const deepText = fc.tuple(fc.integer({ min: 1_000, max: 400_000 }), fc.constantFrom('[', '{"a":')).map(([wanted, open]) => {
      // As deep as fits in one message below the size limit.
      const levels = Math.min(wanted, Math.floor((MAX_MESSAGE_BYTES - 300) / (open.length + 1)))
      const close = open === '[' ? ']' : '}'
      return `${open.repeat(levels)}${open === '[' ? '' : '1'}${close.repeat(levels)}`
    })
    const frame = fc.tuple(deepText, fc.constantFrom('kind', 'id', 'channel', 'args', 'params', 'whole'))
    await fc.assert(
      fc.asyncProperty(frame, async ([deep, where]) => {
        const id = ++nextId
        const text =
          where === 'whole'
            ? deep
            : where === 'params'
              ? `{"kind":"invoke","id":${id},"channel":"run:start","args":{"taskId":"hello","workers":1,"params":{"x":${deep}}}}`
              : `{"kind":"invoke","id":${where === 'id' ? deep : id},"channel":${where === 'channel' ? deep : '"run:start"'},"args":${where === 'args' ? deep : '{}'}${where === 'kind' ? `,"kind":${deep}` : ''}}`
        const before = counting.totalRuns()
        const answer = await exchange(text)
        if (answer.kind === 'result') expectWellFormedReply(answer.reply)
        else expect(answer).toMatchObject({ kind: 'error' })
        // The one well-formed request among these (a deep value as a task parameter) may reach
        // its handler, unless its parameters are refused; nothing else runs anything.
        const isRefused = answer.kind !== 'result' || (!answer.reply.ok && answer.reply.error.code === 'invalid-payload')
        expect(counting.totalRuns() - before).toBe(where === 'params' && !isRefused ? 1 : 0)
      }),
      fuzzRuns(40)
    )
    await expectStillServing()
  })

  it('closes a connection that sends text that is not UTF-8 with 1007, and serves the next one', async () => {
    const notUtf8 = fc.oneof(
      fc.constantFrom([0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xae], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x7b, 0x22, 0xc3]),
      fc.tuple(fc.uint8Array({ maxLength: 20 }), fc.constantFrom(0xfe, 0xff, 0xc1)).map(([bytes, bad]) => [...bytes, bad])
    )
    await fc.assert(
      fc.asyncProperty(notUtf8, async (bytes) => {
        const other = await connectOrFail(apiUrlFor(server.url))
        try {
          const closed = new Promise<number>((resolve) => other.ws.once('close', (code) => resolve(code)))
          other.ws.on('error', () => {})
          other.ws.send(Buffer.from(bytes), { binary: false })
          expect(await closed).toBe(1007)
        } finally {
          if (other.ws.readyState !== WebSocket.CLOSED) other.ws.terminate()
        }
      }),
      fuzzRuns(30)
    )
    await expectStillServing()
    expect(warnings).toEqual([])
  })
})

function isNotJson(text: string): boolean {
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
}
