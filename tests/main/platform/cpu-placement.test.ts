import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { cpuPlacement, processorOfStat } from '../../../main/platform/cpu-placement'

const isLinux = process.platform === 'linux'

/** A stat line as Linux writes it: pid, (name), then fields 3… with `cpu` as field 39. */
function statLine(name: string, cpu: number): string {
  const rest = Array.from({ length: 50 }, (_, i) => (i === 36 ? String(cpu) : String(i)))
  return `123 (${name}) ${rest.join(' ')}\n`
}

describe('processorOfStat', () => {
  it('reads field 39 whatever the process name holds (spaces, parentheses)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.integer({ min: 0, max: 4095 }), (name, cpu) => {
        expect(processorOfStat(statLine(name, cpu))).toBe(cpu)
      })
    )
  })

  it('answers undefined for a line too short or not a number', () => {
    expect(processorOfStat('1 (x) R 0 0')).toBeUndefined()
    expect(processorOfStat(statLine('x', 0).replace(/ 0 37 /, ' zero 37 '))).toBeUndefined()
    expect(processorOfStat('')).toBeUndefined()
  })
})

describe('cpuPlacement', () => {
  let root: string | undefined
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true })
    root = undefined
  })

  it.runIf(isLinux)('compares this thread with another through their stat files, re-read at each call', async () => {
    root = await mkdtemp(join(tmpdir(), 'poolscope-proc-'))
    await mkdir(join(root, 'thread-self'))
    await mkdir(join(root, '77', 'task', '78'), { recursive: true })
    const other = join(root, '77', 'task', '78', 'stat')
    await writeFile(join(root, 'thread-self', 'stat'), statLine('node', 1))
    await writeFile(other, statLine('poolscope-worker x', 1))
    const placement = cpuPlacement(77, 78, root)
    expect(placement.sharesCpu()).toBe(true)
    await writeFile(other, statLine('poolscope-worker x', 0))
    expect(placement.sharesCpu()).toBe(false)
    placement.close()
    expect(placement.sharesCpu()).toBeUndefined()
  })

  it('answers undefined, without throwing, where the files are missing', () => {
    const placement = cpuPlacement(2 ** 22 + 1, undefined, join(tmpdir(), 'no-such-proc'))
    expect(placement.sharesCpu()).toBeUndefined()
    placement.close()
  })

  it.runIf(isLinux)('on the real /proc: a thread shares its CPU with itself, and gets an answer about another thread', async () => {
    const self = cpuPlacement(process.pid)
    expect(self.sharesCpu()).toBe(true)
    self.close()
    // Node always runs a few threads of its own (V8's platform workers, libuv's pool).
    const tids = (await readdir('/proc/self/task')).map(Number).filter((tid) => tid !== process.pid)
    expect(tids.length).toBeGreaterThan(0)
    const other = cpuPlacement(process.pid, tids[0])
    expect(typeof other.sharesCpu()).toBe('boolean')
    other.close()
  })
})
