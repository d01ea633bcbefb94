import type { ProcessInfo, ProcessRef } from './process-info'

/** Which processes make up a tree. */
export interface TreeScope {
  /**
   * The launched process, plus any processes seen in the tree before: once a parent exits its
   * children are re-parented (to init or a subreaper) and can only be found again by pid.
   */
  roots: readonly ProcessRef[]
  /** A process group whose members belong to the tree even when re-parented (POSIX). */
  processGroup?: number
}

/**
 * The rows of `all` that belong to the tree, parents before children (breadth first), each once.
 *
 * Zombies never seed a tree: where pid 1 does not reap orphans (some containers) a killed orphan
 * stays a zombie forever, and it is dead all the same. A zombie child of a live member is still
 * listed, because it tells the user its parent is not reaping.
 */
export function selectTree(all: readonly ProcessInfo[], scope: TreeScope): ProcessInfo[] {
  const byPid = new Map<number, ProcessInfo>()
  const children = new Map<number, ProcessInfo[]>()
  for (const row of all) {
    byPid.set(row.pid, row)
    const siblings = children.get(row.ppid)
    if (siblings === undefined) children.set(row.ppid, [row])
    else siblings.push(row)
  }

  const members = new Set<number>()
  const visit = (start: ProcessInfo): void => {
    const stack = [start]
    while (stack.length > 0) {
      const row = stack.pop() as ProcessInfo
      if (members.has(row.pid)) continue
      members.add(row.pid)
      for (const child of children.get(row.pid) ?? []) stack.push(child)
    }
  }
  for (const ref of scope.roots) {
    const row = byPid.get(ref.pid)
    if (row !== undefined && row.state !== 'zombie' && sameStart(ref, row)) visit(row)
  }
  if (scope.processGroup !== undefined) {
    for (const row of all) {
      if (row.pgid === scope.processGroup && row.state !== 'zombie') visit(row)
    }
  }

  // Order parents before children: start from members whose parent is outside the tree.
  const ordered: ProcessInfo[] = []
  const queue = all.filter((row) => members.has(row.pid) && !members.has(row.ppid))
  for (let i = 0; i < queue.length; i++) {
    const row = queue[i]
    ordered.push(row)
    for (const child of children.get(row.pid) ?? []) {
      if (members.has(child.pid) && child.pid !== row.pid) queue.push(child)
    }
  }
  // A snapshot read over a few ms can, after pid reuse, hold a parent loop with no top; keep those too.
  if (ordered.length < members.size) {
    const listed = new Set(ordered.map((row) => row.pid))
    for (const row of all) if (members.has(row.pid) && !listed.has(row.pid)) ordered.push(row)
  }
  return ordered
}

/** True when `row` is the process `ref` was taken from (or the source cannot tell). */
export function sameStart(ref: ProcessRef, row: ProcessRef): boolean {
  return ref.startToken === undefined || row.startToken === undefined || ref.startToken === row.startToken
}
