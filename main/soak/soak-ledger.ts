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
  outcome: Outcome | undefined
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
  readonly #entries = new Map<number, Entry>()
  #duplicated = 0
  /** Values that matched no task (counted as wrong). */
  #strays = 0
  readonly #examples: string[] = []
  /** Set by `close()`: a first outcome arriving after it does not undo "lost". */
  #isClosed = false

  get size(): number {
    return this.#entries.size
  }

  register(item: WorkItem, faults: Faults): void {
    if (this.#entries.has(item.id)) throw new Error(`soak task ${item.id} registered twice`)
    this.#entries.set(item.id, { item, faults, outcome: undefined })
  }

  /** A value arrived for task `id`. */
  deliver(id: number, value: unknown): void {
    const entry = this.#arrive(id, 'a value')
    if (!entry) return
    entry.outcome = isCorrect(entry.item, value) ? 'ok' : 'wrong'
    if (entry.outcome === 'wrong') this.#example(`task ${id} (${entry.item.kind}): got ${describe(value)}, expected ${describe(entry.item.expected)}`)
  }

  /** An error arrived for task `id`. */
  fail(id: number, error: unknown): void {
    const entry = this.#arrive(id, 'an error')
    if (!entry) return
    entry.outcome = classify(error, entry.faults)
    if (entry.outcome === 'wrong') this.#example(`task ${id} (${entry.item.kind}): unexpected ${describe(error)}`)
  }

  /** A value arrived that belongs to no task it could be for. */
  stray(what: string): void {
    this.#strays++
    this.#example(`stray result: ${what}`)
  }

  /** Whether task `id` has its outcome. */
  isSettled(id: number): boolean {
    return this.#entries.get(id)?.outcome !== undefined
  }

  /** Ends the drain: tasks without an outcome now are lost, whatever arrives later. */
  close(): void {
    this.#isClosed = true
    for (const entry of this.#entries.values()) {
      if (entry.outcome === undefined) this.#example(`task ${entry.item.id} (${entry.item.kind}): lost, nothing came back`)
    }
  }

  summary(): LedgerSummary {
    const outcomes = { ok: 0, aborted: 0, 'timed-out': 0, crashed: 0 }
    let lost = 0
    let wrong = this.#strays
    for (const entry of this.#entries.values()) {
      if (entry.outcome === undefined) lost++
      else if (entry.outcome === 'wrong') wrong++
      else outcomes[entry.outcome]++
    }
    return { tasks: this.#entries.size, lost, duplicated: this.#duplicated, wrong, outcomes, examples: [...this.#examples] }
  }

  /** The entry to record a first outcome in, or undefined when this arrival is a duplicate, a stray or late. */
  #arrive(id: number, what: string): Entry | undefined {
    const entry = this.#entries.get(id)
    if (!entry) {
      this.stray(`${what} for unknown task ${id}`)
      return undefined
    }
    if (entry.outcome !== undefined) {
      this.#duplicated++
      this.#example(`task ${id} (${entry.item.kind}): ${what} arrived after its outcome (${entry.outcome})`)
      return undefined
    }
    return this.#isClosed ? undefined : entry
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
