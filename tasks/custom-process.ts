/**
 * custom-process — the work of `hello` written as a class: a `ProcessTask` subclass keeps its
 * arguments as instance state and overrides `run()`. `run()` returns nothing; what each child has
 * to say travels back through shared state — an entry in a manager's dict and a shared counter
 * bumped under its lock — which the parent reads after joining.
 */
import { ProcessTask } from '../main/pool/process-task'
import { currentWorker } from '../main/pool/worker-context'
import type { DictHandle } from '../main/primitives/manager/collection-proxies'
import { Manager } from '../main/primitives/manager/manager'
import { SharedValue, type SharedValueHandle } from '../main/primitives/shared-memory/shared-value'
import { integer, text } from './params'
import { defineTask } from './task-definition'

/** What a child writes under its own name in the shared dict. */
export interface Report {
  message: string
  name: string
  pid: number
  ppid: number
  /** How long it waited, by its own clock. */
  waitedMs: number
  /** Its place among the children to finish, read from the shared counter under the lock. */
  finishedAs: number
}

/**
 * Python's `class Greeter(Process)` with `run()` overridden: the constructor keeps what it is
 * given, `run()` waits, then reports through the shared dict and counter and returns nothing.
 */
export class Greeter extends ProcessTask {
  readonly #reports: DictHandle
  readonly #finished: SharedValueHandle
  readonly #message: string
  readonly #delayMs: number

  constructor(reports: DictHandle, finished: SharedValueHandle, message: string, delayMs: number) {
    super()
    this.#reports = reports
    this.#finished = finished
    this.#message = message
    this.#delayMs = delayMs
  }

  override async run(): Promise<void> {
    const began = performance.now()
    await new Promise((resolve) => setTimeout(resolve, this.#delayMs))
    const waitedMs = performance.now() - began
    const finished = SharedValue.connect(this.#finished)
    // Read and bump under the lock, so two children finishing together never share a place.
    const finishedAs = await finished.withLock(async () => {
      const place = (await finished.get()) + 1
      await finished.set(place)
      return place
    })
    const me = currentWorker()
    const report: Report = { message: this.#message, name: me.name, pid: me.pid, ppid: me.ppid, waitedMs, finishedAs }
    await Manager.connect<Report>(this.#reports).set(me.name, report)
  }
}

export default defineTask({
  id: 'custom-process',
  title: 'A process as a class',
  description:
    'The work of hello written the other way the guides show: a class that extends ProcessTask, keeps its arguments ' +
    'in its constructor and overrides run(). Each child waits, then reports its message, name, pid and parent pid. ' +
    'run() returns nothing: the reports come back through shared state, a dict held by a manager, and a shared ' +
    'counter that each child bumps under its lock to learn in which place it finished.',
  pattern: 'Subclassing Process and overriding run(); results through shared state',
  params: (z) =>
    z
      .object({
        processes: integer({ min: 1, max: 16, default: 2, description: 'How many children to start' }),
        message: text({ default: 'hello from a ProcessTask', maxLength: 200, description: 'What each child reports' }),
        delayMs: integer({ min: 0, max: 60_000, default: 300, description: 'How long each child waits before reporting, ms' })
      })
      .strict(),
  async run(ctx) {
    const { processes, message, delayMs } = ctx.params
    const manager = new Manager({ label: 'reports' })
    const reports = manager.dict<Report>()
    const finished = new SharedValue({ backend: ctx.backend, label: 'finished' })
    const children = Array.from({ length: processes }, (_, i) =>
      ctx.createProcess({
        target: 'custom-process:Greeter',
        args: [reports.handle, finished.handle, message, delayMs],
        name: `greeter-${i + 1}`,
        backend: ctx.backend
      })
    )
    const stop = () => children.forEach((p) => p.kill())
    ctx.signal.addEventListener('abort', stop, { once: true })
    try {
      for (const child of children) {
        manager.attach(child)
        finished.attach(child)
        child.start()
        ctx.log(`started ${child.name} (pid ${child.pid})`)
      }
      await Promise.all(children.map((p) => p.join()))
    } finally {
      ctx.signal.removeEventListener('abort', stop)
    }
    const board = await reports.snapshot()
    const count = await finished.get()
    manager.close()
    finished.close()

    const failures: string[] = []
    for (const child of children) {
      const report = board[child.name]
      if (child.exitCode !== 0) failures.push(`${child.name} failed${child.error ? `: ${child.error.message}` : ` (exit code ${child.exitCode}, signal ${child.signal})`}`)
      else if (!report) failures.push(`${child.name} left no report in the shared dict`)
      else {
        if (report.message !== message) failures.push(`${child.name} reported a changed message`)
        if (report.pid !== child.pid) failures.push(`${child.name} reports pid ${report.pid}, Process.pid is ${child.pid}`)
        if (report.ppid !== process.pid) failures.push(`${child.name} reports ppid ${report.ppid}, the parent is ${process.pid}`)
      }
      // The point of the task: the result did not come back as a return value.
      if (child.result !== undefined) failures.push(`${child.name}'s run() returned a value`)
    }
    const places = Object.values(board)
      .map((r) => r.finishedAs)
      .sort((a, b) => a - b)
    if (count !== processes) failures.push(`the shared counter reads ${count}, expected ${processes}`)
    if (places.join() !== Array.from({ length: processes }, (_, i) => i + 1).join()) failures.push(`finishing places ${places.join(', ')} are not 1 … ${processes}`)

    return {
      result: {
        processes,
        reports: children.map((child) => board[child.name]).filter(Boolean),
        finishedCounter: count,
        returnValues: children.map((child) => child.result ?? null),
        exitCodes: children.map((child) => child.exitCode)
      },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `${processes} Greeter${processes === 1 ? '' : 's'} ran their overridden run() and reported through shared ` +
              `state (dict entries and a counter of ${count}); run() returned nothing`
            : failures.join('; ')
      }
    }
  }
})
