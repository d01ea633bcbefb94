import { describe, expect, it } from 'vitest'
import { parseArgv } from '../../../../renderer/src/lib/argv'

describe('parseArgv', () => {
  it('splits on whitespace', () => {
    expect(parseArgv('  python3   job.py 4 ')).toEqual({ ok: true, argv: ['python3', 'job.py', '4'] })
  })

  it('keeps single-quoted text literally and honours the escapes sh allows in double quotes', () => {
    expect(parseArgv(`echo 'a "b" \\n'`)).toEqual({ ok: true, argv: ['echo', 'a "b" \\n'] })
    expect(parseArgv('echo "say \\"hi\\" \\x"')).toEqual({ ok: true, argv: ['echo', 'say "hi" \\x'] })
  })

  it('joins quoted and unquoted parts of one word, and keeps empty quoted arguments', () => {
    expect(parseArgv(`--name='a b'c ""`)).toEqual({ ok: true, argv: ['--name=a bc', ''] })
  })

  it('escapes any character outside quotes with a backslash', () => {
    expect(parseArgv('a\\ b c')).toEqual({ ok: true, argv: ['a b', 'c'] })
  })

  it('explains unclosed quotes, a dangling backslash and an empty line', () => {
    expect(parseArgv(`echo 'oops`)).toEqual({ ok: false, error: 'Unclosed single quote at position 6' })
    expect(parseArgv('echo "oops')).toEqual({ ok: false, error: 'Unclosed double quote at position 6' })
    expect(parseArgv('echo \\')).toEqual({ ok: false, error: 'A backslash at the end escapes nothing' })
    expect(parseArgv('   ')).toEqual({ ok: false, error: 'Enter a command to launch' })
  })
})
