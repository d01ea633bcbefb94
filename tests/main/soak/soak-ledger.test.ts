/** The soak's books: one outcome per task; duplicates, strays, unexplained errors and silence are counted. */
import { describe, expect, it } from 'vitest'
import { PoolTerminatedError, TaskAbortedError, TaskTimeoutError, WorkerCrashedError } from '../../../main/pool/index'
import { SoakLedger, type Faults } from '../../../main/soak/soak-ledger'
import type { WorkItem } from '../../../main/soak/soak-work'

const item = (id: number): WorkItem => ({ id, kind: 'square', fn: 'square:square', args: [id, 0], expected: id * id, sleepMs: 0 })
const noFaults: Faults = { timeoutMs: undefined, isAborted: () => false }

function ledgerOf(count: number, faults: Faults = noFaults): SoakLedger {
  const ledger = new SoakLedger()
  for (let id = 0; id < count; id++) ledger.register(item(id), faults)
  return ledger
}

describe('SoakLedger', () => {
  it('counts a correct value as ok and a wrong one as wrong, with an example', () => {
    const ledger = ledgerOf(2)
    ledger.deliver(0, 0)
    ledger.deliver(1, 2)
    ledger.close()
    const summary = ledger.summary()
    expect(summary).toMatchObject({ tasks: 2, lost: 0, duplicated: 0, wrong: 1, outcomes: { ok: 1 } })
    expect(summary.examples).toEqual(['task 1 (square): got 2, expected 1'])
  })

  it('counts a second arrival for a task as a duplicate, whether value or error', () => {
    const ledger = ledgerOf(1)
    ledger.deliver(0, 0)
    ledger.deliver(0, 0)
    ledger.fail(0, new Error('late'))
    expect(ledger.summary()).toMatchObject({ duplicated: 2, wrong: 0, outcomes: { ok: 1 } })
  })

  it('counts a task that got nothing by close() as lost, even if something arrives later', () => {
    const ledger = ledgerOf(2)
    ledger.deliver(0, 0)
    ledger.close()
    ledger.fail(1, new PoolTerminatedError())
    expect(ledger.summary()).toMatchObject({ lost: 1, duplicated: 0, wrong: 0 })
  })

  it('accepts an abort only for an aborted task and a timeout only for a task given one', () => {
    let isAborted = false
    const ledger = new SoakLedger()
    ledger.register(item(0), { timeoutMs: undefined, isAborted: () => isAborted })
    ledger.register(item(1), { timeoutMs: undefined, isAborted: () => isAborted })
    ledger.register(item(2), { timeoutMs: 5, isAborted: () => false })
    ledger.register(item(3), noFaults)
    ledger.fail(0, new TaskAbortedError(1))
    isAborted = true
    ledger.fail(1, new TaskAbortedError(2))
    ledger.fail(2, new TaskTimeoutError(3, 5))
    ledger.fail(3, new TaskTimeoutError(4, 5))
    expect(ledger.summary()).toMatchObject({ wrong: 2, outcomes: { aborted: 1, 'timed-out': 1 } })
  })

  it('accounts a crash once retries are used up, and counts any other error as wrong', () => {
    const ledger = ledgerOf(2)
    ledger.fail(0, new WorkerCrashedError('w-1', 123, null, 'SIGKILL', 1))
    ledger.fail(1, new Error('boom'))
    expect(ledger.summary()).toMatchObject({ wrong: 1, outcomes: { crashed: 1 } })
  })

  it('counts results for unknown tasks and stray values as wrong', () => {
    const ledger = ledgerOf(1)
    ledger.deliver(7, 49)
    ledger.stray('a value no input gives')
    expect(ledger.summary()).toMatchObject({ wrong: 2, lost: 1 })
  })

  it('refuses to register one task twice', () => {
    const ledger = ledgerOf(1)
    expect(() => ledger.register(item(0), noFaults)).toThrow(/registered twice/)
  })
})
