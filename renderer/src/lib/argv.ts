/**
 * The command line typed into the process launcher, split into argv as `sh` would quote it, without
 * expanding anything (variables, globs and pipes need the "through a shell" option). The splitting
 * itself is the one main uses for bench commands (`shared/split-argv.ts`); this adds the form's
 * wording of what is wrong.
 */
import { ArgvSyntaxError, splitArgv } from '../../../shared/split-argv'

export type ParsedArgv = { ok: true; argv: string[] } | { ok: false; error: string }

function describeSyntaxError(error: ArgvSyntaxError): string {
  switch (error.reason) {
    case 'unterminated-single-quote':
      return `Unclosed single quote at position ${error.position}`
    case 'unterminated-double-quote':
      return `Unclosed double quote at position ${error.position}`
    case 'trailing-backslash':
      return 'A backslash at the end escapes nothing'
  }
}

/** Splits `line` with POSIX rules; says in a sentence why it cannot, or that it is empty. */
export function parseArgv(line: string): ParsedArgv {
  let argv: string[]
  try {
    argv = splitArgv(line, 'posix')
  } catch (error) {
    if (error instanceof ArgvSyntaxError) return { ok: false, error: describeSyntaxError(error) }
    throw error
  }
  if (argv.length === 0) return { ok: false, error: 'Enter a command to launch' }
  return { ok: true, argv }
}
