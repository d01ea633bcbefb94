/**
 * hello — the smallest `Process`: one function, started in its own process with arguments, that
 * waits and then reports a message with who it is. The parent times `start()` (returns at once)
 * and `join()` (waits for the child to end) and compares its pid with the child's ppid.
 */
import { currentWorker } from '../main/pool/worker-context'
import { defineTask } from './task-definition'
import { integer, text } from './params'

/** What the child reports. */
export interface Greeting {
  message: string
  name: string
  pid: number
  ppid: number
  /** When the function began, epoch ms (the wall clock both processes share). */
  startedAt: number
  /** How long it waited, by its own monotonic clock. */
  waitedMs: number
}

/** Worker side: waits `delayMs`, then reports `message` with this process's name, pid and ppid. */
export async function greet(message: string, delayMs: number): Promise<Greeting> {
  const startedAt = Date.now()
  const began = performance.now()
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  const me = currentWorker()
  return { message, name: me.name, pid: me.pid, ppid: me.ppid, startedAt, waitedMs: performance.now() - began }
}

type LifecycleEvent = 'start-returned' | 'exited' | 'join-returned'

/** start() hands back control before the child ends; join() only after it has exited. */
const EXPECTED_ORDER: readonly LifecycleEvent[] = ['start-returned', 'exited', 'join-returned']

export default defineTask({
  id: 'hello',
  title: 'Hello from a process',
  description:
    'Starts one function in its own process with two arguments: it waits a while, then reports a message with its ' +
    'name, pid and parent pid. The parent times start(), which returns at once while the child is still booting, ' +
    'and join(), which waits until the child has exited. Watch the child appear in the process list for the wait.',
  pattern: 'Process(target, args): start, join, pid, name, exitcode',
  params: (z) =>
    z
      .object({
        message: text({ default: 'hello from another process', maxLength: 200, description: 'What the child reports' }),
        delayMs: integer({ min: 0, max: 60_000, default: 1000, description: 'How long the child waits before reporting, ms' }),
        name: text({ default: 'greeter', maxLength: 64, description: 'The child process name (empty: an automatic one)' })
      })
      .strict(),
  async run(ctx) {
    const { message, delayMs, name } = ctx.params
    const child = ctx.createProcess({
      target: 'hello:greet',
      args: [message, delayMs],
      backend: ctx.backend,
      ...(name ? { name } : {})
    })
    // The order in which the parent sees things happen is the structural evidence: it needs no
    // clock shared with the child and no threshold on durations.
    const events: LifecycleEvent[] = []
    child.once('exit', () => events.push('exited'))

    const before = performance.now()
    child.start()
    const startMs = performance.now() - before
    const startReturnedAt = Date.now()
    events.push('start-returned')
    const wasAliveAfterStart = child.isAlive()
    ctx.log(`start() returned after ${startMs.toFixed(2)} ms; ${child.name} (pid ${child.pid}) is running`)

    // A stopped run must not sit out the child's wait (up to a minute): end the child instead.
    const onStop = () => child.terminate()
    ctx.signal.addEventListener('abort', onStop, { once: true })
    await child.join()
    ctx.signal.removeEventListener('abort', onStop)
    const joinMs = performance.now() - before
    events.push('join-returned')
    ctx.log(`join() returned after ${joinMs.toFixed(1)} ms with exit code ${child.exitCode}`)

    const greeting = child.result as Greeting | undefined
    const failures: string[] = []
    if (child.error) failures.push(`the child failed: ${child.error.message}`)
    if (!greeting) failures.push('the child reported nothing')
    if (!wasAliveAfterStart || events.join() !== EXPECTED_ORDER.join()) {
      failures.push(`the parent saw ${events.join(' → ')}, expected ${EXPECTED_ORDER.join(' → ')}`)
    }
    if (child.isAlive() || child.exitCode !== 0) failures.push(`the child did not exit with code 0 (exit code ${child.exitCode})`)
    if (greeting && greeting.ppid !== process.pid) failures.push(`the child's ppid ${greeting.ppid} is not the parent's pid ${process.pid}`)
    if (greeting && greeting.pid !== child.pid) failures.push(`the child's pid ${greeting.pid} differs from Process.pid ${child.pid}`)
    if (greeting && greeting.name !== child.name) failures.push(`the child calls itself ${greeting.name}, not ${child.name}`)
    if (greeting && greeting.message !== message) failures.push('the message came back changed')

    return {
      result: {
        message: greeting?.message,
        name: child.name,
        pid: child.pid,
        childPpid: greeting?.ppid,
        parentPid: process.pid,
        exitCode: child.exitCode,
        startMs: round(startMs),
        joinMs: round(joinMs),
        childWaitedMs: greeting ? round(greeting.waitedMs) : undefined,
        // A child process needs time to boot, so its function usually begins after start() has returned.
        childStartedMsAfterStartReturned: greeting ? greeting.startedAt - startReturnedAt : undefined,
        parentSaw: events
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `start() returned in ${startMs.toFixed(2)} ms while ${child.name} ran; join() returned after ${joinMs.toFixed(0)} ms, ` +
              `once it had exited with code 0; its ppid ${greeting!.ppid} is the parent's pid`
            : failures.join('; ')
      }
    }
  }
})

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
