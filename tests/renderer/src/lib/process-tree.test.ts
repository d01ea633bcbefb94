import { describe, expect, it } from 'vitest'
import type { ProcNode } from '../../../../shared/contract'
import { filterRows, flattenTree, sortRows } from '../../../../renderer/src/lib/process-tree'

const node = (pid: number, ppid: number, name: string, cpuPercent = 0, rssBytes = 0): ProcNode => ({
  pid,
  ppid,
  name,
  command: `${name} --flag`,
  state: 'S',
  cpuPercent,
  rssBytes
})

const nodes = [node(30, 10, 'worker-b', 50, 300), node(10, 1, 'make', 1, 100), node(20, 10, 'worker-a', 90, 200), node(40, 20, 'cc', 5, 50)]

describe('flattenTree', () => {
  it('orders parents before children, siblings by pid, with their depth', () => {
    expect(flattenTree(nodes).map(({ node, depth }) => [node.pid, depth])).toEqual([
      [10, 0],
      [20, 1],
      [40, 2],
      [30, 1]
    ])
  })

  it('survives a ppid cycle without looping or losing processes', () => {
    const rows = flattenTree([node(1, 2, 'a'), node(2, 1, 'b')])
    expect(rows.map((r) => r.node.pid).sort()).toEqual([1, 2])
  })
})

describe('sortRows and filterRows', () => {
  const rows = flattenTree(nodes)

  it('sorts by a column in either direction, ties by pid', () => {
    expect(sortRows(rows, 'cpuPercent', 'desc').map((r) => r.node.pid)).toEqual([20, 30, 40, 10])
    expect(sortRows(rows, 'name', 'asc').map((r) => r.node.name)).toEqual(['cc', 'make', 'worker-a', 'worker-b'])
    expect(sortRows(rows, 'tree', 'asc')).toEqual(rows)
  })

  it('filters by pid, name or command, case-insensitively', () => {
    expect(filterRows(rows, 'WORKER').map((r) => r.node.pid)).toEqual([20, 30])
    expect(filterRows(rows, '40').map((r) => r.node.pid)).toEqual([40])
    expect(filterRows(rows, '--flag')).toHaveLength(4)
    expect(filterRows(rows, ' ')).toHaveLength(4)
  })
})
