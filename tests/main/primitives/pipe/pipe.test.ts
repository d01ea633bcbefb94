import { describe, expect, it } from 'vitest'
import { BrokenPipeError, EOFError, PipeClosedError, UnsupportedOperationError } from '../../../../main/primitives/core/errors'
import { Pipe } from '../../../../main/primitives/pipe/pipe'
import type { Message, ReceiverReport, SenderReport } from '../../../../tasks/pipe'
import { useProcesses } from '../../../helpers/pools'
import { waitFor } from '../../../helpers/wait-for'
import { fakePool, settle } from '../fake-host'

const STARTUP = { deadlineMs: 20_000 }

describe('Pipe in the parent', () => {
  it('carries messages both ways, each in order', async () => {
    const [left, right] = new Pipe<string>().ends
    await left.send('a')
    await left.send('b')
    await right.send('x')
    expect([await right.recv(), await right.recv()]).toEqual(['a', 'b'])
    expect(await left.recv()).toBe('x')
  })

  it('gives a waiting recv the next message sent', async () => {
    const [left, right] = new Pipe<number>().ends
    const waiting = right.recv()
    await left.send(42)
    await expect(waiting).resolves.toBe(42)
  })

  it('lets the other end read what was sent before the close, then raises EOFError', async () => {
    const [left, right] = new Pipe<number>().ends
    await left.send(1)
    await left.send(2)
    await left.close()
    expect([await right.recv(), await right.recv()]).toEqual([1, 2])
    await expect(right.recv()).rejects.toBeInstanceOf(EOFError)
  })

  it('wakes a recv waiting when the other end closes with EOFError', async () => {
    const [left, right] = new Pipe().ends
    const waiting = right.recv()
    await settle()
    await left.close()
    await expect(waiting).rejects.toBeInstanceOf(EOFError)
  })

  it('refuses send and recv on a closed end with PipeClosedError', async () => {
    const [left] = new Pipe().ends
    await left.close()
    expect(left.isClosed).toBe(true)
    await expect(left.send('late')).rejects.toBeInstanceOf(PipeClosedError)
    await expect(left.send('late')).rejects.toThrow(/end 0 of the pipe is closed/)
    await expect(left.recv()).rejects.toBeInstanceOf(PipeClosedError)
  })

  it('refuses to send towards a closed end with BrokenPipeError', async () => {
    const [left, right] = new Pipe().ends
    await right.close()
    await expect(left.send('nobody reads this')).rejects.toBeInstanceOf(BrokenPipeError)
  })

  it('makes a one-way pipe’s end 0 receive only and end 1 send only', async () => {
    const pipe = new Pipe<string>({ duplex: false })
    const [reader, writer] = pipe.ends
    expect(pipe.handles.map((h) => [h.canSend, h.canRecv])).toEqual([
      [false, true],
      [true, false]
    ])
    await expect(reader.send('x')).rejects.toBeInstanceOf(UnsupportedOperationError)
    await expect(writer.recv()).rejects.toBeInstanceOf(UnsupportedOperationError)
    await writer.send('one way')
    expect(await reader.recv()).toBe('one way')
  })

  it('polls true once a message or EOF is waiting, and false after its timeout otherwise', async () => {
    const [left, right] = new Pipe().ends
    expect(await right.poll()).toBe(false)
    expect(await right.poll(20)).toBe(false)
    const polling = right.poll(60_000)
    await left.send('here')
    expect(await polling).toBe(true)
    await right.recv()
    await left.close()
    expect(await right.poll()).toBe(true)
  })

  it('counts messages per end for the monitor', async () => {
    const pipe = new Pipe()
    const [left, right] = pipe.ends
    await left.send(1)
    await left.send(2)
    await right.recv()
    expect(pipe.stats()).toMatchObject({ kind: 'pipe', isDuplex: true, pending: [0, 1], sent: [2, 0], received: [0, 1], closed: [false, false] })
  })
})

describe('Pipe deliveries to workers', () => {
  it('gives a message back to its end when the receiving worker dies before confirming it', async () => {
    const pipe = new Pipe<string>()
    const fake = fakePool()
    pipe.attach(fake.host)
    await pipe.ends[0].send('first')
    await pipe.ends[0].send('second')
    expect(await fake.call(pipe.service, 'w-1', 'recv', 1)).toMatchObject({ item: 'first' })
    // w-2 also holds end 1, so the end stays open when w-1 dies.
    await fake.call(pipe.service, 'w-2', 'poll', 1, 0)
    await fake.exit('w-1')
    expect(pipe.stats()).toMatchObject({ pending: [0, 2], received: [0, 0], closed: [false, false] })
    expect(await pipe.ends[1].recv()).toBe('first')
  })

  it('closes an end when the last worker that used it dies without closing it', async () => {
    const pipe = new Pipe<string>()
    const fake = fakePool()
    pipe.attach(fake.host)
    const waiting = fake.call(pipe.service, 'w-1', 'recv', 1).catch((error: Error) => error)
    await settle()
    await fake.exit('w-1')
    expect(pipe.stats().closed).toEqual([false, true])
    await expect(pipe.ends[0].send('anyone?')).rejects.toBeInstanceOf(BrokenPipeError)
    expect(await waiting).toBeInstanceOf(Error)
  })
})

describe('Pipe across processes', () => {
  const openProcess = useProcesses()

  for (const duplex of [true, false]) {
    it(`delivers a sequence in order and then EOF between two processes (${duplex ? 'duplex' : 'one-way'})`, async () => {
      const pipe = new Pipe<Message | string>({ duplex })
      const receiver = openProcess({ target: 'pipe:receiveAll', args: [pipe.handles[0], duplex] })
      const sender = openProcess({ target: 'pipe:sendSequence', args: [pipe.handles[1], 25, duplex] })
      for (const child of [receiver, sender]) {
        pipe.attach(child)
        child.start()
      }
      await Promise.all([receiver.join(), sender.join()])
      const received = receiver.result as ReceiverReport
      expect(received.messages.map((m) => m.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i))
      expect(received.endedWith).toBe('EOFError')
      expect((sender.result as SenderReport).afterClose).toMatchObject({ refused: true, isPipeClosedError: true })
    })
  }

  it('gives the parent BrokenPipeError once the process holding the other end is killed', async () => {
    const pipe = new Pipe<Message | string>({ duplex: false })
    const receiver = openProcess({ target: 'pipe:receiveAll', args: [pipe.handles[0], false] })
    pipe.attach(receiver)
    receiver.start()
    await waitFor('the receiver to wait in recv', () => pipe.stats().waitingReceivers[0] === 1, STARTUP)
    receiver.kill()
    await receiver.join()
    await waitFor('its end to close', () => pipe.stats().closed[0])
    await expect(pipe.ends[1].send({ seq: 0, text: 'too late' })).rejects.toBeInstanceOf(BrokenPipeError)
  })
})
