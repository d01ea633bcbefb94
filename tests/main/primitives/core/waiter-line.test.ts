import { describe, expect, it } from 'vitest'
import { WaiterLine } from '../../../../main/primitives/core/waiter-line'

describe('WaiterLine', () => {
  it('serves waiters first come, first served', async () => {
    const line = new WaiterLine<string>()
    const first = line.wait('a', undefined, undefined, () => 'timeout')
    const second = line.wait('b', undefined, undefined, () => 'timeout')
    line.shift()!.resolve('one')
    line.shift()!.resolve('two')
    expect([await first, await second]).toEqual(['one', 'two'])
  })

  it('settles a waiter with the timeout result and takes it out of the line', async () => {
    const line = new WaiterLine<string>()
    await expect(line.wait('a', undefined, 5, () => 'gave up')).resolves.toBe('gave up')
    expect(line.size).toBe(0)
  })

  it('rejects a waiter when the timeout callback throws', async () => {
    const line = new WaiterLine<string>()
    await expect(
      line.wait('a', undefined, 5, () => {
        throw new RangeError('late')
      })
    ).rejects.toBeInstanceOf(RangeError)
  })

  it('drops only the waiters filed under a key, keeping the others in order', async () => {
    const line = new WaiterLine<string, number>()
    const gone = line.wait('dead', 1, undefined, () => '').catch((error: Error) => error.message)
    void line.wait('live', 2, undefined, () => '')
    void line.wait('dead', 3, undefined, () => '').catch(() => undefined)
    expect(line.dropKey('dead', new Error('ended')).map((w) => w.data)).toEqual([1, 3])
    expect(await gone).toBe('ended')
    expect(line.size).toBe(1)
    expect(line.peek()?.data).toBe(2)
  })
})
