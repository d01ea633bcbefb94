import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { cpuPlacement, processorOfStatBytes } from '../../../main/platform/cpu-placement'

/** The CPU in a stat line given as text. */
function processorOfStat(line: string): number | undefined {
  const bytes = Buffer.from(line, 'utf8')
  return processorOfStatBytes(bytes, bytes.length)
}

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

  it('reads the field from the bytes as read, whatever the other fields and the bytes after the line', () => {
    const field = fc.oneof(fc.nat().map(String), fc.constantFrom('R', 'S', '-1', '18446744073709551615'))
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 15 }), fc.array(field, { minLength: 50, maxLength: 50 }), fc.nat({ max: 4095 }), fc.uint8Array({ maxLength: 64 }), (name, fields, cpu, after) => {
        fields[36] = String(cpu)
        const line = Buffer.from(`4242 (${name}) ${fields.join(' ')}\n`)
        expect(processorOfStatBytes(Buffer.concat([line, after]), line.length)).toBe(cpu)
      })
    )
  })

  it('answers undefined for a line too short or not a number, and never throws on any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const cpu = processorOfStatBytes(bytes, bytes.length)
      expect(cpu === undefined || (Number.isInteger(cpu) && cpu >= 0)).toBe(true)
    }))
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
