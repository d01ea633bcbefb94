import { describe, expect, it } from 'vitest'
import { buildBenchRequest, defaultWorkerList, parseWorkerList, type BenchForm } from '../../../../renderer/src/lib/bench-request'
import { initialFieldValues } from '../../../../renderer/src/lib/param-form'
import { task } from '../../fixtures'

const form = (overrides: Partial<BenchForm> = {}): BenchForm => ({
  source: 'task',
  taskId: 'heavy-sum',
  params: initialFieldValues(task().params),
  command: '',
  isShell: false,
  workers: '1, 2, 4',
  runs: '3',
  warmup: '1',
  backend: 'process',
  ...overrides
})

describe('defaultWorkerList', () => {
  it('doubles up to the core count and ends on the core count', () => {
    expect(defaultWorkerList(8)).toEqual([1, 2, 4, 8])
    expect(defaultWorkerList(6)).toEqual([1, 2, 4, 6])
    expect(defaultWorkerList(1)).toEqual([1])
  })
})

describe('parseWorkerList', () => {
  it('reads commas, spaces and inclusive ranges into sorted unique counts', () => {
    expect(parseWorkerList('8, 1 2,4-6, 2')).toEqual({ ok: true, workers: [1, 2, 4, 5, 6, 8] })
    expect(parseWorkerList('1..3')).toEqual({ ok: true, workers: [1, 2, 3] })
  })

  it('explains what it cannot read', () => {
    expect(parseWorkerList('')).toEqual({ ok: false, error: 'Add at least one worker count' })
    expect(parseWorkerList('1, two')).toEqual({ ok: false, error: '"two" is not a whole number' })
    expect(parseWorkerList('6-2')).toEqual({ ok: false, error: 'Range 6-2 runs backwards' })
  })
})

describe('buildBenchRequest', () => {
  it('builds a task benchmark with typed params', () => {
    const built = buildBenchRequest(form(), task())
    expect(built).toEqual({
      ok: true,
      request: {
        taskId: 'heavy-sum',
        params: { n: 1000, scale: 1.5, label: 'x', verbose: false, mode: 'fast', urls: ['a', 'b'] },
        backend: 'process',
        workers: [1, 2, 4],
        runs: 3,
        warmup: 1
      }
    })
  })

  it('builds a command benchmark without task fields', () => {
    const built = buildBenchRequest(form({ source: 'command', command: '  python3 job.py {workers} ', isShell: true }), task())
    expect(built).toEqual({ ok: true, request: { command: 'python3 job.py {workers}', shell: true, workers: [1, 2, 4], runs: 3, warmup: 1 } })
  })

  it('applies the contract limits: at most 16 counts, each at most 256, runs 1..50', () => {
    const tooMany = buildBenchRequest(form({ workers: '1-17' }), task())
    expect(tooMany.ok ? undefined : tooMany.errors.workers).toBe('At most 16 values')
    const tooBig = buildBenchRequest(form({ workers: '1, 512' }), task())
    expect(tooBig.ok ? undefined : tooBig.errors.workers).toBe('At most 256')
    const noRuns = buildBenchRequest(form({ runs: '0' }), task())
    expect(noRuns.ok ? undefined : noRuns.errors.runs).toBe('At least 1')
  })

  it('asks for a command or a task when the chosen source lacks one', () => {
    const noCommand = buildBenchRequest(form({ source: 'command', command: ' ' }), task())
    expect(noCommand.ok ? undefined : noCommand.errors.command).toBe('Enter a command')
    const noTask = buildBenchRequest(form({ taskId: '' }), undefined)
    expect(noTask.ok ? undefined : noTask.errors.taskId).toBe('Choose a task')
  })
})
