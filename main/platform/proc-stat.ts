/**
 * Parsing a line of Linux's `/proc/<pid>/stat` (or `/proc/<pid>/task/<tid>/stat`) for the process
 * table. (The CPU-placement reader, which runs in workers many times a second, reads its one field
 * off the bytes instead: `processorOfStatBytes` in `cpu-placement.ts`.)
 */

/**
 * The name and the fields after it, numbered as in proc(5) minus 3 (state is `fields[0]`, ppid
 * `fields[1]`, …, processor `fields[36]`); `undefined` for a line without a `(name)`. The name sits
 * in parentheses and may itself contain spaces and ')': the line is cut at the last ')'.
 */
export function parseStatLine(line: string): { name: string; fields: string[] } | undefined {
  const open = line.indexOf('(')
  const close = line.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  return { name: line.slice(open + 1, close), fields: line.slice(close + 2).split(' ') }
}
