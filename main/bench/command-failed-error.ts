/** An argument as a person would retype it: quoted when it has spaces or quotes. */
function quoteForDisplay(arg: string): string {
  return arg === '' || /[\s"'\\]/.test(arg) ? JSON.stringify(arg) : arg
}

/**
 * A benchmarked command that did not succeed. A failed run is an error, never a time: a command
 * that crashes fast would otherwise look like a great speedup.
 */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError'

  /**
   * @param argv what was run (for `shell: true`, the shell command line as one element)
   * @param code the exit code, or `null` when a signal ended the process
   * @param signal the signal that ended the process, if one did
   * @param stderrTail the last of what the command wrote to stderr, trimmed
   */
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string
  ) {
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? 'an unknown signal'}`
    const lastLine = stderrTail.split(/\r?\n/).filter((line) => line.trim() !== '').at(-1)
    super(`command ${how}: ${argv.map(quoteForDisplay).join(' ')}${lastLine === undefined ? '' : ` (stderr: ${lastLine.trim()})`}`)
  }
}
