/**
 * The soak's books: every task submitted, what came back for it, and how often. A task ends in
 * exactly one of the outcomes below; what matters is what does not fit them:
 *   - lost: nothing came back by the end of the drain;
 *   - duplicated: something came back for a task that already had its outcome (a second callback,
 *     an `imapUnordered` result yielded twice, a longer result array than inputs);
 *   - wrong: a value that is not the known answer, a value that matches no task of its batch, or
 *     an error the task's faults do not explain (an abort it was not given, a timeout it did not
 *     have, the task's own code failing).
 * A task given a timeout may time out, an aborted one may be aborted, and any task may end with
 * `WorkerCrashedError` once the kills have used up its retries: those are accounted, not lost.
 */
import { TaskAbortedError, TaskTimeoutError, WorkerCrashedError } from '../pool/index'
import { isCorrect, type WorkItem } from './soak-work'

export type Outcome = 'ok' | 'aborted' | 'timed-out' | 'crashed' | 'wrong'

/** The faults a task was submitted with. */
export interface Faults {
  timeoutMs: number | undefined
  /** Set once the soak has aborted the task's signal. */
  isAborted: () => boolean
}

interface Entry {
  item: WorkItem
  faults: Faults
}

/** The counts the soak prints (`tasks, lost, duplicated, wrong`) and what the tasks ended as. */
export interface LedgerSummary {
  tasks: number
  lost: number
  duplicated: number
  wrong: number
  outcomes: Record<Exclude<Outcome, 'wrong'>, number>
  /** The first few wrong, duplicated or lost tasks, described, to start debugging from. */
  examples: string[]
}

const MAX_EXAMPLES = 10

export class SoakLedger {
  /**
   * Tasks still waiting for their outcome. A settled task keeps only its outcome (in `#outcomes`),
   * so that a 100,000-task soak measures the engine's memory, not a growing pile of its own books.
   */
  readonly #waiting = new Map<number, Entry>()
  /** Outcome by task id; `undefined` for a task not registered. Ids are dense from 0. */
  readonly #outcomes: (Outcome | 'waiting')[] = []
  /** Kind of every registered task, for the examples. */
  readonly #kinds: string[] = []
  #duplicated = 0
  /** Values that matched no task (counted as wrong). */
  #strays = 0
  readonly #examples: string[] = []
  /** Set by `close()`: a first outcome arriving after it does not undo "lost". */
  #isClosed = false

  register(item: WorkItem, faults: Faults): void {
    if (this.#outcomes[item.id] !== undefined) throw new Error(`soak task ${item.id} registered twice`)
    this.#waiting.set(item.id, { item, faults })
    this.#outcomes[item.id] = 'waiting'
    this.#kinds[item.id] = item.kind
  }

  /** A value arrived for task `id`. */
  deliver(id: number, value: unknown): void {
    const entry = this.#arrive(id, 'a value')
    if (!entry) return
    const isOk = isCorrect(entry.item, value)
    if (!isOk) this.#example(`task ${id} (${entry.item.kind}): got ${describe(value)}, expected ${describe(entry.item.expected)}`)
    this.#settle(id, isOk ? 'ok' : 'wrong')
  }

  /** An error arrived for task `id`. */
  fail(id: number, error: unknown): void {
    const entry = this.#arrive(id, 'an error')
    if (!entry) return
    const outcome = classify(error, entry.faults)
    if (outcome === 'wrong') this.#example(`task ${id} (${entry.item.kind}): unexpected ${describe(error)}`)
    this.#settle(id, outcome)
  }

  /** A value arrived that belongs to no task it could be for. */
  stray(what: string): void {
    this.#strays++
    this.#example(`stray result: ${what}`)
  }

  /** Whether task `id` has its outcome. */
  isSettled(id: number): boolean {
    const outcome = this.#outcomes[id]
    return outcome !== undefined && outcome !== 'waiting'
  }

  /** Ends the drain: tasks without an outcome now are lost, whatever arrives later. */
  close(): void {
    this.#isClosed = true
    for (const id of this.#waiting.keys()) this.#example(`task ${id} (${this.#kinds[id]}): lost, nothing came back`)
  }

  summary(): LedgerSummary {
    const outcomes = { ok: 0, aborted: 0, 'timed-out': 0, crashed: 0 }
    let tasks = 0
    let lost = 0
    let wrong = this.#strays
    for (const outcome of this.#outcomes) {
      if (outcome === undefined) continue
      tasks++
      if (outcome === 'waiting') lost++
      else if (outcome === 'wrong') wrong++
      else outcomes[outcome]++
    }
    return { tasks, lost, duplicated: this.#duplicated, wrong, outcomes, examples: [...this.#examples] }
  }

  /** The entry to record a first outcome in, or undefined when this arrival is a duplicate, a stray or late. */
  #arrive(id: number, what: string): Entry | undefined {
    const outcome = this.#outcomes[id]
    if (outcome === undefined) {
      this.stray(`${what} for unknown task ${id}`)
      return undefined
    }
    if (outcome !== 'waiting') {
      this.#duplicated++
      this.#example(`task ${id} (${this.#kinds[id]}): ${what} arrived after its outcome (${outcome})`)
      return undefined
    }
    return this.#isClosed ? undefined : this.#waiting.get(id)
  }

  #settle(id: number, outcome: Outcome): void {
    this.#waiting.delete(id)
    this.#outcomes[id] = outcome
  }

  #example(text: string): void {
    if (this.#examples.length < MAX_EXAMPLES) this.#examples.push(text)
  }
}

function classify(error: unknown, faults: Faults): Outcome {
  if (error instanceof TaskAbortedError) return faults.isAborted() ? 'aborted' : 'wrong'
  if (error instanceof TaskTimeoutError) return faults.timeoutMs !== undefined ? 'timed-out' : 'wrong'
  if (error instanceof WorkerCrashedError) return 'crashed'
  return 'wrong'
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 117)}…` : text
}
