/**
 * Splits a command line typed into the process launcher into argv, the way `sh` quotes, without
 * expanding anything (variables, globs and pipes need the "through a shell" option):
 * single quotes keep everything literally; in double quotes a backslash escapes only `"`, `\`,
 * `$` and `` ` ``; outside quotes a backslash escapes any character.
 *
 * Main splits bench command templates with the same POSIX rules (`main/bench/split-argv.ts`), but
 * that module is Node-side and cannot be imported by the renderer.
 */
export type ParsedArgv = { ok: true; argv: string[] } | { ok: false; error: string }

const DQUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`'])

export function parseArgv(line: string): ParsedArgv {
  const argv: string[] = []
  let current = ''
  // An argument exists once a character or a pair of quotes was seen: '' is an empty argument.
  let hasArg = false
  let i = 0
  while (i < line.length) {
    const c = line[i]!
    if (/\s/.test(c)) {
      if (hasArg) argv.push(current)
      current = ''
      hasArg = false
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end === -1) return { ok: false, error: `Unclosed single quote at position ${i + 1}` }
      current += line.slice(i + 1, end)
      hasArg = true
      i = end + 1
    } else if (c === '"') {
      const start = i
      i++
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && DQUOTE_ESCAPABLE.has(line[i + 1]!)) {
          current += line[i + 1]
          i += 2
        } else {
          current += line[i]
          i++
        }
      }
      if (i >= line.length) return { ok: false, error: `Unclosed double quote at position ${start + 1}` }
      hasArg = true
      i++
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { ok: false, error: 'A backslash at the end escapes nothing' }
      current += line[i + 1]
      hasArg = true
      i += 2
    } else {
      current += c
      hasArg = true
      i++
    }
  }
  if (hasArg) argv.push(current)
  if (argv.length === 0) return { ok: false, error: 'Enter a command to launch' }
  return { ok: true, argv }
}
