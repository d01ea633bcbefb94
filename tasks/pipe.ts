/**
 * pipe — two processes joined by a pipe. The sender sends a numbered sequence and closes its end;
 * the receiver reads until EOF. In duplex mode the receiver first says it is ready over the same
 * pipe, the other way. The parent checks that every message arrived once, in order, followed by
 * EOF, and that the closed end refused to send again.
 */
import type { PipeEndHandle } from '../main/primitives/pipe/connection'
import { EOFError, PipeClosedError } from '../main/primitives/core/errors'
import { Pipe } from '../main/primitives/pipe/pipe'
import type { PipeStats } from '../main/primitives/core/primitive-stats'
import { defineTask } from './task-definition'
import { flag, integer } from './params'

/** One message of the sequence. */
export interface Message {
  seq: number
  text: string
}

/** The receiver's hello in duplex mode. */
const READY = 'ready'

/** What the sender did. */
export interface SenderReport {
  sent: number
  /** What a send after close() did: the error it was refused with, if it was. */
  afterClose: { refused: boolean; error: string | undefined; isPipeClosedError: boolean }
}

/** What the receiver got, and how reading ended. */
export interface ReceiverReport {
  messages: Message[]
  /** The error that ended reading (`EOFError` when the sender closed its end). */
  endedWith: string
}

/** Worker side: (duplex) waits for the receiver's hello, sends `count` messages, closes, then tries once more. */
export async function sendSequence(handle: PipeEndHandle, count: number, isDuplex: boolean): Promise<SenderReport> {
  const connection = Pipe.connect<Message | string>(handle)
  if (isDuplex) {
    const hello = await connection.recv()
    if (hello !== READY) throw new Error(`expected "${READY}" from the receiver, got ${JSON.stringify(hello)}`)
  }
  for (let seq = 0; seq < count; seq++) await connection.send({ seq, text: `message ${seq}` })
  await connection.close()
  try {
    await connection.send({ seq: count, text: 'after close' })
    return { sent: count, afterClose: { refused: false, error: undefined, isPipeClosedError: false } }
  } catch (error) {
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return { sent: count, afterClose: { refused: true, error: name, isPipeClosedError: error instanceof PipeClosedError } }
  }
}

/** Worker side: (duplex) says it is ready, then receives until EOF. */
export async function receiveAll(handle: PipeEndHandle, isDuplex: boolean): Promise<ReceiverReport> {
  const connection = Pipe.connect<Message | string>(handle)
  if (isDuplex) await connection.send(READY)
  const messages: Message[] = []
  for (;;) {
    try {
      messages.push((await connection.recv()) as Message)
    } catch (error) {
      if (error instanceof EOFError) return { messages, endedWith: error.name }
      throw error
    }
  }
}

export default defineTask({
  id: 'pipe',
  title: 'A pipe between two processes',
  description:
    'Two processes share the two ends of a pipe. The sender sends a numbered sequence of messages and closes its ' +
    'end; the receiver reads until it gets EOF, which comes only after every message sent before the close. A duplex ' +
    'pipe carries messages both ways, so the receiver first tells the sender it is ready; a one-way pipe has a ' +
    'receive-only and a send-only end. After closing, the sender tries to send once more and is refused.',
  pattern: 'multiprocessing.Pipe(duplex): send, recv, close, EOFError',
  params: (z) =>
    z
      .object({
        count: integer({ min: 1, max: 100_000, default: 100, description: 'Messages the sender sends' }),
        duplex: flag({ default: true, description: 'Both ends send and receive (false: a one-way pipe)' })
      })
      .strict(),
  async run(ctx) {
    const { count, duplex } = ctx.params
    const pipe = new Pipe<Message | string>({ duplex, label: 'sequence' })
    // A one-way pipe's end 0 only receives and end 1 only sends, as Python's Pipe(duplex=False).
    const receiver = ctx.createProcess({ target: 'pipe:receiveAll', args: [pipe.handles[0], duplex], name: 'receiver', backend: ctx.backend })
    const sender = ctx.createProcess({ target: 'pipe:sendSequence', args: [pipe.handles[1], count, duplex], name: 'sender', backend: ctx.backend })
    const both = [receiver, sender]
    const stop = () => both.forEach((p) => p.kill())
    ctx.signal.addEventListener('abort', stop, { once: true })
    try {
      for (const child of both) {
        pipe.attach(child)
        child.start()
      }
      ctx.log(`receiver (pid ${receiver.pid}) and sender (pid ${sender.pid}) started`)
      await Promise.all(both.map((p) => p.join()))
    } finally {
      ctx.signal.removeEventListener('abort', stop)
    }
    const stats = pipe.stats()
    pipe.close()

    const sent = sender.result as SenderReport | undefined
    const received = receiver.result as ReceiverReport | undefined
    const messages = received?.messages ?? []
    const outOfOrder = messages.filter((m, i) => m.seq !== i || m.text !== `message ${i}`).length
    const failures: string[] = []
    for (const p of both) {
      if (p.exitCode !== 0) failures.push(`${p.name} failed${p.error ? `: ${p.error.message}` : ` (exit code ${p.exitCode}, signal ${p.signal})`}`)
    }
    if (received && messages.length !== count) failures.push(`received ${messages.length} of ${count} messages`)
    if (outOfOrder > 0) failures.push(`${outOfOrder} messages arrived out of order or changed`)
    if (received && received.endedWith !== 'EOFError') failures.push(`reading ended with ${received.endedWith}, not EOFError`)
    if (sent && !sent.afterClose.isPipeClosedError) failures.push(`a send after close() was not refused with PipeClosedError (${sent.afterClose.error ?? 'it was accepted'})`)

    return {
      result: {
        duplex,
        sent: sent?.sent,
        received: messages.length,
        inOrder: outOfOrder === 0,
        first: messages.slice(0, 3),
        last: messages.slice(-3),
        endedWith: received?.endedWith,
        sendAfterClose: sent?.afterClose.error,
        pipe: stats satisfies PipeStats
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all ${count} messages arrived in order over a ${duplex ? 'duplex' : 'one-way'} pipe, then EOF; ` +
              `the closed end refused to send (${sent!.afterClose.error})`
            : failures.join('; ')
      }
    }
  }
})
