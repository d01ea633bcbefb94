import type { ProcNode } from '../../../shared/contract'

/** A process as the tree table shows it: with its depth below the launched root. */
export interface TreeRow {
  node: ProcNode
  depth: number
}

export type TreeSortKey = 'tree' | 'pid' | 'name' | 'cpuPercent' | 'rssBytes' | 'state'
export type SortDirection = 'asc' | 'desc'

/**
 * Orders processes parent-first (depth-first, siblings by pid), the way `htop`'s tree view does.
 * Roots are processes whose parent is not in the list. A cycle in ppids (pid reuse mid-scan) cannot
 * loop: each pid is visited once.
 */
export function flattenTree(nodes: readonly ProcNode[]): TreeRow[] {
  const byPid = new Map(nodes.map((node) => [node.pid, node]))
  const children = new Map<number, ProcNode[]>()
  for (const node of nodes) {
    if (node.ppid === node.pid || !byPid.has(node.ppid)) continue
    const list = children.get(node.ppid) ?? []
    list.push(node)
    children.set(node.ppid, list)
  }
  const rows: TreeRow[] = []
  const seen = new Set<number>()
  const visit = (node: ProcNode, depth: number) => {
    if (seen.has(node.pid)) return
    seen.add(node.pid)
    rows.push({ node, depth })
    for (const child of (children.get(node.pid) ?? []).sort((a, b) => a.pid - b.pid)) visit(child, depth + 1)
  }
  const roots = nodes.filter((node) => node.ppid === node.pid || !byPid.has(node.ppid)).sort((a, b) => a.pid - b.pid)
  for (const root of roots) visit(root, 0)
  // Anything left sits on a ppid cycle: show it rather than lose it.
  for (const node of nodes) if (!seen.has(node.pid)) visit(node, 0)
  return rows
}

/** Keeps rows whose pid, name or command contains the query (case-insensitive). */
export function filterRows(rows: readonly TreeRow[], query: string): TreeRow[] {
  const q = query.trim().toLowerCase()
  if (q === '') return [...rows]
  return rows.filter(({ node }) => String(node.pid).includes(q) || node.name.toLowerCase().includes(q) || node.command.toLowerCase().includes(q))
}

/** Sorts rows by a column; `tree` keeps the parent-first order. Ties fall back to pid. */
export function sortRows(rows: readonly TreeRow[], key: TreeSortKey, direction: SortDirection): TreeRow[] {
  if (key === 'tree') return direction === 'asc' ? [...rows] : [...rows].reverse()
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = a.node[key]
    const y = b.node[key]
    const order = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y) : (x as number) - (y as number)
    return order !== 0 ? sign * order : a.node.pid - b.node.pid
  })
}
