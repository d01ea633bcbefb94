import { describe, expect, it } from 'vitest'
import { ArgvSyntaxError, splitArgv } from '../../shared/split-argv'

describe('splitArgv with POSIX rules', () => {
  const split = (line: string) => splitArgv(line, 'posix')

  it('splits on runs of whitespace', () => {
    expect(split('  python3   job.py\t{workers} \n')).toEqual(['python3', 'job.py', '{workers}'])
  })

  it('keeps everything inside single quotes literally', () => {
    expect(split(`echo 'a  b' 'C:\\dir' 'it'\\''s'`)).toEqual(['echo', 'a  b', 'C:\\dir', "it's"])
    expect(split(`echo '$HOME "x"'`)).toEqual(['echo', '$HOME "x"'])
  })

  it('lets a backslash escape only " \\ $ and ` inside double quotes', () => {
    expect(split('say "a \\"b\\" \\\\ \\$x \\n"')).toEqual(['say', 'a "b" \\ $x \\n'])
  })

  it('lets a backslash escape any character outside quotes', () => {
    expect(split('cat my\\ file.txt \\"quoted\\"')).toEqual(['cat', 'my file.txt', '"quoted"'])
  })

  it('joins adjacent quoted and unquoted parts into one argument', () => {
    expect(split(`--name="a b"'c d'e`)).toEqual(['--name=a bc de'])
  })

  it('keeps empty quoted strings as empty arguments', () => {
    expect(split(`prog '' ""`)).toEqual(['prog', '', ''])
  })

  it('expands nothing: variables, globs and pipes stay literal', () => {
    expect(split('echo $HOME *.py | wc')).toEqual(['echo', '$HOME', '*.py', '|', 'wc'])
  })

  it('rejects unterminated quotes and a trailing backslash', () => {
    expect(() => split(`echo 'open`)).toThrow(ArgvSyntaxError)
    expect(() => split('echo "open')).toThrow(/unterminated double quote/)
    expect(() => split('echo \\')).toThrow(/lone backslash/)
  })

  it('says what is wrong and where, so a caller can word it its own way', () => {
    const caught = (line: string) => {
      try {
        split(line)
      } catch (error) {
        return error
      }
      throw new Error(`${line} split without an error`)
    }
    expect(caught(`echo 'open`)).toMatchObject({ reason: 'unterminated-single-quote', position: 6, message: 'unterminated single quote at position 6' })
    expect(caught('a "b')).toMatchObject({ reason: 'unterminated-double-quote', position: 3 })
    expect(caught('a \\')).toMatchObject({ reason: 'trailing-backslash', position: undefined, message: 'the command line ends with a lone backslash' })
  })

  it('drops a backslash-newline, as a line continuation', () => {
    expect(split('echo a\\\nb "c\\\nd"')).toEqual(['echo', 'ab', 'cd'])
  })

  it('gives no arguments for a blank line', () => {
    expect(split('  \t ')).toEqual([])
  })
})

describe('splitArgv with Windows rules', () => {
  const split = (line: string) => splitArgv(line, 'windows')

  it('keeps backslashes in paths', () => {
    expect(split('C:\\Python\\python.exe C:\\work\\job.py {workers}')).toEqual([
      'C:\\Python\\python.exe',
      'C:\\work\\job.py',
      '{workers}'
    ])
  })

  it('groups quoted text with spaces and drops the quotes', () => {
    expect(split('"C:\\Program Files\\node.exe" -e "1 + 1"')).toEqual(['C:\\Program Files\\node.exe', '-e', '1 + 1'])
  })

  it('follows the 2n / 2n+1 backslash rule before a quote', () => {
    expect(split('a\\\\"b c"')).toEqual(['a\\b c'])
    expect(split('a\\\\\\"b c')).toEqual(['a\\"b', 'c'])
    expect(split('"dir\\\\"')).toEqual(['dir\\'])
  })

  it('reads "" inside quotes as a literal quote', () => {
    expect(split('"say ""hi"""')).toEqual(['say "hi"'])
  })

  it('treats single quotes as ordinary characters', () => {
    expect(split(`echo 'a b'`)).toEqual(['echo', "'a", "b'"])
  })
})
