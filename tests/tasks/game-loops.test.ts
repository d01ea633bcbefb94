import { afterEach, describe, expect, it } from 'vitest'
import { Process } from '../../main/pool/process'
import { parseTaskInput } from '../../main/runs/task-input'
import { runTask } from '../../main/runs/task-runner'
import { stopWithEscalation } from '../../tasks/game-loops'
import { poolFixture, workerScript } from '../helpers/paths'
import { isRunning } from '../helpers/processes'
import { waitFor } from '../helpers/wait-for'

interface LoopReport {
  role: string
  pid: number
  ticks: number
  stoppedBy: string
  exitCode: number | null
  signal: string | null
  hasExited: boolean
  isPidGone?: boolean
}

let started: Process[] = []

afterEach(async () => {
  for (const child of started) child.kill()
  await Promise.all(started.map((child) => (child.pid === undefined ? undefined : child.join())))
  started = []
})

function loops(run: { result: unknown }): LoopReport[] {
  return (run.result as { loops: LoopReport[] }).loops
}

describe('game-loops', () => {
  it('ticks three loops until the duration ends, then asks each to stop and leaves none behind', async () => {
    const run = await runTask({
      // A long grace period: each loop stops as soon as it hears the request, however busy the machine.
      ...parseTaskInput('game-loops', { tickHz: 40, graceMs: 5_000 }),
      durationMs: 500,
      workers: 1,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(run.state).toBe('succeeded')
    const report = loops(run)
    expect(report.map((loop) => loop.role)).toEqual(['render', 'logic', 'network'])
    for (const loop of report) {
      expect(loop).toMatchObject({ stoppedBy: 'asked', exitCode: 0, hasExited: true, isPidGone: true })
      expect(loop.ticks).toBeGreaterThan(0)
      expect(isRunning(loop.pid)).toBe(false)
    }
  })

  it('escalates to SIGKILL for a loop that ignores the request and SIGTERM, and still passes', async () => {
    const run = await runTask({
      ...parseTaskInput('game-loops', { tickHz: 50, graceMs: 100, stubborn: 'logic' }),
      durationMs: 400,
      workers: 1,
      backend: 'process',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    const logic = loops(run).find((loop) => loop.role === 'logic')!
    expect(logic).toMatchObject({ stoppedBy: 'killed', signal: 'SIGKILL', hasExited: true })
    expect(logic.ticks).toBeGreaterThan(0)
    expect(isRunning(logic.pid)).toBe(false)
  })

  it('stops every loop when the caller aborts the run', async () => {
    const stop = new AbortController()
    const children: Process[] = []
    const running = runTask({
      ...parseTaskInput('game-loops', { tickHz: 20 }),
      signal: stop.signal,
      workers: 1,
      backend: 'process',
      workerScript,
      onProcess: (child) => children.push(child)
    })
    await waitFor('three running loops', () => children.length === 3 && children.every((child) => child.isAlive()))
    stop.abort()
    const run = await running
    expect(run.state).toBe('stopped')
    expect(children.every((child) => !child.isAlive())).toBe(true)
    for (const child of children) expect(isRunning(child.pid!)).toBe(false)
  })

  it('runs on the thread backend, where terminating a stubborn loop ends its thread', async () => {
    const run = await runTask({
      ...parseTaskInput('game-loops', { tickHz: 50, graceMs: 100, stubborn: 'render' }),
      durationMs: 300,
      workers: 1,
      backend: 'thread',
      workerScript
    })
    expect(run.check).toEqual({ ok: true, summary: expect.any(String) })
    expect(loops(run).find((loop) => loop.role === 'render')?.stoppedBy).toBe('terminated')
  })

  it('rejects an unknown stubborn loop, naming the parameter', () => {
    expect(() => parseTaskInput('game-loops', { stubborn: 'sound' })).toThrow(/stubborn must be one of/)
  })
})

describe('stopWithEscalation', () => {
  it('sends SIGTERM to a process that does not stop when asked', async () => {
    const child = new Process({ target: 'builtin:sleep', args: [60_000], workerScript })
    started.push(child)
    child.start()
    expect(await stopWithEscalation(child, { askMs: 50, graceMs: 5_000 })).toBe('terminated')
    expect(child.signal).toBe('SIGTERM')
  })

  it('kills a process that ignores SIGTERM', async () => {
    const child = new Process({ target: { module: poolFixture('ignore-sigterm.cjs'), export: 'ignoreSigterm' }, workerScript })
    started.push(child)
    const armed = new Promise<void>((resolve) => child.registerService('probe', { armed: () => resolve() }))
    child.start()
    await armed
    expect(await stopWithEscalation(child, { askMs: 0, graceMs: 100 })).toBe('killed')
    expect(child.signal).toBe('SIGKILL')
  })

  it('reports a process that had ended before the stop', async () => {
    const child = new Process({ target: 'builtin:identity', args: [1], workerScript })
    started.push(child)
    child.start()
    await child.join()
    expect(await stopWithEscalation(child, { askMs: 10, graceMs: 10, wasRunning: false })).toBe('ended-early')
  })
})
