import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { ProcessSampler, type ProcessSample } from '../../../main/monitor/process-sampler'
import { ManualClock } from './manual-clock'

let sampler: ProcessSampler | undefined
const children: ChildProcess[] = []

afterEach(() => {
  sampler?.stop()
  sampler = undefined
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

async function startNode(code: string): Promise<number> {
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' })
  children.push(child)
  await once(child, 'spawn')
  return child.pid as number
}

describe('ProcessSampler', () => {
  it('reports memory for a live pid and leaves out pids that are gone', async () => {
    const pid = await startNode('setInterval(() => {}, 1000)')
    const gone = spawn(process.execPath, ['-e', '0'])
    await once(gone, 'exit')
    sampler = new ProcessSampler()
    sampler.setPids([pid, gone.pid as number, pid])
    const { processes } = await sampler.sample()
    expect(processes.map((p) => p.pid)).toEqual([pid])
    expect(processes[0].rssBytes).toBeGreaterThan(0)
    expect(processes[0].cpuPercent).toBeGreaterThanOrEqual(0)
  })

  it('sees a spinning process using CPU', async () => {
    const pid = await startNode('for (;;) {}')
    sampler = new ProcessSampler()
    sampler.setPids([pid])
    await sampler.sample()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const { processes } = await sampler.sample()
    expect(processes[0].cpuPercent).toBeGreaterThan(0)
  })

  it('emits a reading every interval until stopped, leaving no timer', async () => {
    const clock = new ManualClock()
    sampler = new ProcessSampler({ clock, rateHz: 2 })
    sampler.setPids([process.pid])
    sampler.start()
    const reading = once(sampler, 'sample')
    clock.advance(500)
    const [sample] = (await reading) as [ProcessSample]
    expect(sample.t).toBe(clock.now())
    expect(sample.processes[0].pid).toBe(process.pid)
    expect(clock.pendingCount).toBe(1)
    sampler.stop()
    expect(clock.pendingCount).toBe(0)
  })
})
