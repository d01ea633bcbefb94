/**
 * Splits a command line into argv without a shell: quoting and escaping are honoured, nothing is
 * expanded (no variables, globs, pipes or redirections; those need `shell: true`). Main splits
 * bench command templates with it, the renderer the command typed into the process launcher, so
 * it lives next to the contract, where both the Node side and the web side may import it; it uses
 * nothing but the language.
 *
 * Two rule sets, because people type command lines the way their platform's terminal taught them:
 *
 * - `posix`: as `sh` quotes. Single quotes keep everything literally; in double quotes a backslash
 *   escapes only `"`, `\`, `$` and `` ` `` (it stays otherwise); outside quotes a backslash escapes
 *   any character.
 * - `windows`: as `CommandLineToArgvW` and the MSVC runtime parse, so `C:\Users\me\job.py` keeps
 *   its backslashes. Backslashes are literal unless they precede `"`: then 2n backslashes give n and
 *   the quote toggles quoting, 2n+1 give n and a literal `"`. Inside quotes `""` is a literal `"`.
 *   Single quotes are ordinary characters there.
 *   See https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments
 */

/** Which quoting rules to split by (see the file comment). */
export type ArgvStyle = 'posix' | 'windows'

/** What is wrong with a command line that cannot be split. */
export type ArgvSyntaxReason = 'unterminated-single-quote' | 'unterminated-double-quote' | 'trailing-backslash'

/**
 * A command line that cannot be split: an unterminated quote or a dangling escape. `reason` and
 * `position` let a caller word the problem its own way (the launcher form does); a request refused
 * with it reaches the caller as `invalid-payload` (the contract's code).
 */
export class ArgvSyntaxError extends Error {
  override readonly name = 'ArgvSyntaxError'
  readonly code = 'invalid-payload'

  constructor(
    readonly reason: ArgvSyntaxReason,
    /** 1-based position of the opening quote; undefined for a trailing backslash. */
    readonly position?: number
  ) {
    super(
      reason === 'trailing-backslash'
        ? 'the command line ends with a lone backslash'
        : `unterminated ${reason === 'unterminated-single-quote' ? 'single' : 'double'} quote at position ${position}`
    )
  }
}

const WHITESPACE = /\s/
/** Characters a backslash escapes inside POSIX double quotes. */
const POSIX_DQUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`', '\n'])

function splitPosix(line: string): string[] {
  const args: string[] = []
  let current = ''
  // An argument exists once any character or any quote pair was seen: '' is an empty argument.
  let hasArg = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (WHITESPACE.test(c)) {
      if (hasArg) args.push(current)
      current = ''
      hasArg = false
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end === -1) throw new ArgvSyntaxError('unterminated-single-quote', i + 1)
      current += line.slice(i + 1, end)
      hasArg = true
      i = end + 1
    } else if (c === '"') {
      const start = i
      i++
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && POSIX_DQUOTE_ESCAPABLE.has(line[i + 1])) {
          // A backslash-newline is a line continuation: both vanish.
          if (line[i + 1] !== '\n') current += line[i + 1]
          i += 2
        } else {
          current += line[i]
          i++
        }
      }
      if (i >= line.length) throw new ArgvSyntaxError('unterminated-double-quote', start + 1)
      hasArg = true
      i++
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ArgvSyntaxError('trailing-backslash')
      if (line[i + 1] !== '\n') {
        current += line[i + 1]
        hasArg = true
      }
      i += 2
    } else {
      current += c
      hasArg = true
      i++
    }
  }
  if (hasArg) args.push(current)
  return args
}

function splitWindows(line: string): string[] {
  const args: string[] = []
  let current = ''
  let hasArg = false
  let isQuoted = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === '\\') {
      let slashes = 0
      while (line[i] === '\\') {
        slashes++
        i++
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(slashes / 2))
        if (slashes % 2 === 1) {
          current += '"'
          i++
        }
        // With an even count the quote is left for the next iteration to toggle quoting.
      } else {
        current += '\\'.repeat(slashes)
      }
      hasArg = true
    } else if (c === '"') {
      if (isQuoted && line[i + 1] === '"') {
        current += '"'
        i += 2
      } else {
        isQuoted = !isQuoted
        i++
      }
      hasArg = true
    } else if (!isQuoted && WHITESPACE.test(c)) {
      if (hasArg) args.push(current)
      current = ''
      hasArg = false
      i++
    } else {
      current += c
      hasArg = true
      i++
    }
  }
  if (hasArg) args.push(current)
  return args
}

/**
 * Splits `line` into arguments by the rules of `style`. An empty or blank line gives `[]`.
 *
 * @throws ArgvSyntaxError for an unterminated quote or a trailing backslash (POSIX rules; the
 *   Windows rules accept any line, as Windows does)
 */
export function splitArgv(line: string, style: ArgvStyle): string[] {
  return style === 'windows' ? splitWindows(line) : splitPosix(line)
}
