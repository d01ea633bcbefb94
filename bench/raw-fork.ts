/**
 * The floor under every process pool: `child_process.fork` children and one JSON IPC message per
 * request, with no queue, no records, no scheduling. Not a peer to beat on features; the figure
 * says what the transport itself allows on this machine.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fixtures } from './paths'

interface Reply {
  id: number
  y?: unknown
  ys?: unknown[]
}

export class RawForkPool {
  readonly #children: ChildProcess[]
  #onReply: (reply: Reply) => void = () => undefined

  constructor(workers: number) {
    this.#children = Array.from({ length: workers }, () => {
      const child = fork(fixtures.rawChild, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' })
      child.on('message', (reply) => this.#onReply(reply as Reply))
      return child
    })
  }

  /** Sends every message at once, round-robin, and resolves when every reply is in. */
  exchange(messages: readonly ({ x: unknown } | { xs: unknown[] })[]): Promise<Reply[]> {
    const replies: Reply[] = new Array(messages.length)
    let pending = messages.length
    return new Promise((resolve) => {
      this.#onReply = (reply) => {
        replies[reply.id] = reply
        if (--pending === 0) resolve(replies)
      }
      messages.forEach((message, id) => this.#children[id % this.#children.length].send({ id, ...message }))
    })
  }

  /** One request and its reply, on the first child: the ping-pong latency. */
  async ping(x: unknown): Promise<unknown> {
    const [reply] = await this.#exchangeOn(this.#children[0], x)
    return reply.y
  }

  #exchangeOn(child: ChildProcess, x: unknown): Promise<Reply[]> {
    return new Promise((resolve) => {
      this.#onReply = (reply) => resolve([reply])
      child.send({ id: 0, x })
    })
  }

  close(): Promise<void> {
    return Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve()
            child.once('exit', () => resolve())
            child.kill('SIGKILL')
          })
      )
    ).then(() => undefined)
  }
}
