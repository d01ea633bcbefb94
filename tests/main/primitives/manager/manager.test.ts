import { describe, expect, it } from 'vitest'
import { IndexOutOfRangeError, InvalidArgumentError, InvalidHandleError, KeyMissingError, NotInWorkerError } from '../../../../main/primitives/core/errors'
import { Manager } from '../../../../main/primitives/manager/manager'
import { entryOf, type WorkerEntry } from '../../../../tasks/manager'
import type { Backend } from '../../../../main/pool/types'
import { useProcesses } from '../../../helpers/pools'
import { fakePool } from '../fake-host'

describe('Manager lists', () => {
  it('appends, extends, reads with Python indexing, sets and pops', async () => {
    const list = new Manager().list<string>(['a'])
    expect(await list.append('b')).toBe(2)
    expect(await list.extend(['c', 'd'])).toBe(4)
    expect(await list.get(0)).toBe('a')
    expect(await list.get(-1)).toBe('d')
    await list.set(1, 'B')
    expect(await list.pop()).toBe('d')
    expect(await list.pop(0)).toBe('a')
    expect(await list.snapshot()).toEqual(['B', 'c'])
    expect(await list.length()).toBe(2)
  })

  it('rejects an index past either end with IndexOutOfRangeError', async () => {
    const list = new Manager().list([1, 2])
    await expect(list.get(2)).rejects.toBeInstanceOf(IndexOutOfRangeError)
    await expect(list.get(-3)).rejects.toBeInstanceOf(IndexOutOfRangeError)
    await expect(new Manager().list().pop()).rejects.toBeInstanceOf(IndexOutOfRangeError)
    await expect(list.get(0.5)).rejects.toBeInstanceOf(InvalidArgumentError)
  })

  it('keeps copies: neither the initial array nor a snapshot is shared with the list', async () => {
    const initial = [{ n: 1 }]
    const list = new Manager().list(initial)
    initial[0].n = 99
    const snapshot = await list.snapshot()
    snapshot.push({ n: 2 })
    expect(await list.snapshot()).toEqual([{ n: 1 }])
  })
})

describe('Manager dicts', () => {
  it('sets, reads, tests, deletes, pops and updates keys', async () => {
    const dict = new Manager().dict<number>({ a: 1 })
    await dict.set('b', 2)
    await dict.update({ c: 3, a: 10 })
    expect(await dict.get('a')).toBe(10)
    expect(await dict.get('zzz')).toBeUndefined()
    expect(await dict.has('b')).toBe(true)
    expect(await dict.delete('b')).toBe(true)
    expect(await dict.delete('b')).toBe(false)
    expect(await dict.pop('c')).toBe(3)
    expect(await dict.keys()).toEqual(['a'])
    expect(await dict.length()).toBe(1)
    expect(await dict.snapshot()).toEqual({ a: 10 })
  })

  it('rejects popping a missing key with KeyMissingError and a key that is not text', async () => {
    const dict = new Manager().dict()
    await expect(dict.pop('nope')).rejects.toBeInstanceOf(KeyMissingError)
    await expect(dict.set(1 as unknown as string, 'x')).rejects.toBeInstanceOf(InvalidArgumentError)
  })
})

describe('Manager', () => {
  it('counts reads and writes and reports each container’s size', async () => {
    const manager = new Manager({ label: 'shared' })
    const list = manager.list()
    const dict = manager.dict()
    await list.append(1)
    await dict.set('k', 1)
    await list.length()
    expect(manager.stats()).toMatchObject({ kind: 'manager', label: 'shared', writes: 2, reads: 1, lists: [{ length: 1 }], dicts: [{ size: 1 }] })
  })

  it('refuses a handle of a container it does not hold, and connect() outside a worker', async () => {
    const fake = fakePool()
    const manager = new Manager()
    manager.attach(fake.host)
    await expect(fake.call(manager.service, 'w', 'list.append', 999, 'x')).rejects.toBeInstanceOf(InvalidHandleError)
    expect(() => Manager.connect(manager.list().handle)).toThrow(NotInWorkerError)
  })
})

describe('Manager across processes', () => {
  const openProcess = useProcesses()

  for (const backend of ['process', 'thread'] as Backend[]) {
    it(`loses no append and no key when five ${backend === 'process' ? 'processes' : 'threads'} write at once`, async () => {
      const manager = new Manager()
      const list = manager.list<string>()
      const dict = manager.dict<number | WorkerEntry>()
      const children = [0, 1, 2, 3, 4].map((index) => openProcess({ target: 'manager:record', args: [list.handle, dict.handle, index, 30], backend }))
      for (const child of children) {
        manager.attach(child)
        child.start()
      }
      await Promise.all(children.map((child) => child.join()))
      expect(children.map((child) => child.exitCode)).toEqual([0, 0, 0, 0, 0])
      const expected = [0, 1, 2, 3, 4].flatMap((index) => Array.from({ length: 30 }, (_, i) => entryOf(index, i)))
      expect((await list.snapshot()).sort()).toEqual([...expected].sort())
      const keys = await dict.snapshot()
      expect(Object.keys(keys)).toHaveLength(5 * 31)
      for (const entry of expected) expect(keys[entry]).toBe(Number(entry.split('-')[1]))
      expect(keys['worker-3']).toMatchObject({ appended: 30 })
    })
  }
})
