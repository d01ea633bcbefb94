import { describe, expect, it } from 'vitest'
import { ArgvSyntaxError, platformArgvStyle, splitArgv } from '../../../main/bench/split-argv'

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

describe('platformArgvStyle', () => {
  it('uses Windows rules on Windows and POSIX rules elsewhere', () => {
    expect(platformArgvStyle('win32')).toBe('windows')
    expect(platformArgvStyle('darwin')).toBe('posix')
    expect(platformArgvStyle('linux')).toBe('posix')
  })
})
