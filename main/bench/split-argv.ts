/**
 * Command-line splitting for the Node side: the shared splitter (`shared/split-argv.ts`, which the
 * renderer uses too) with the platform's own quoting rules as the default.
 */
import { splitArgv as splitArgvBy, type ArgvStyle } from '../../shared/split-argv'

export { ArgvSyntaxError, type ArgvStyle } from '../../shared/split-argv'

/** The style that matches the platform's own terminals. */
export function platformArgvStyle(platform: NodeJS.Platform = process.platform): ArgvStyle {
  return platform === 'win32' ? 'windows' : 'posix'
}

/**
 * Splits `line` into arguments by the rules of `style` (default: the platform's).
 *
 * @throws ArgvSyntaxError for an unterminated quote or a trailing backslash (POSIX rules)
 */
export function splitArgv(line: string, style: ArgvStyle = platformArgvStyle()): string[] {
  return splitArgvBy(line, style)
}
