import { describe, expect, it } from 'vitest'
import { Manager } from '../../../../main/primitives/manager/manager'
import { primitivesOf } from '../../../../main/primitives/core/primitive-host'
import { Queue } from '../../../../main/primitives/queue/queue'
import { usePools } from '../../../helpers/pools'

describe('primitivesOf', () => {
  const openPool = usePools()

  it('lists the primitives attached to a pool, with their stats, until they are detached or closed', () => {
    const pool = openPool({ workers: 1 })
    const queue = new Queue({ label: 'jobs' })
    const manager = new Manager()
    const detach = queue.attach(pool)
    manager.attach(pool)
    expect(primitivesOf(pool).map((p) => p.stats().kind)).toEqual(['queue', 'manager'])
    expect(primitivesOf(pool)[0].stats()).toMatchObject({ label: 'jobs', depth: 0 })
    detach()
    expect(primitivesOf(pool)).toEqual([manager])
    manager.close()
    expect(primitivesOf(pool)).toEqual([])
  })

  it('lists nothing for a host nothing was attached to', () => {
    expect(primitivesOf(openPool({ workers: 1 }))).toEqual([])
  })
})
