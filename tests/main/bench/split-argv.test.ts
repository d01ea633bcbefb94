import { describe, expect, it } from 'vitest'
import { ArgvSyntaxError, platformArgvStyle, splitArgv } from '../../../main/bench/split-argv'

describe('platformArgvStyle', () => {
  it('uses Windows rules on Windows and POSIX rules elsewhere', () => {
    expect(platformArgvStyle('win32')).toBe('windows')
    expect(platformArgvStyle('darwin')).toBe('posix')
    expect(platformArgvStyle('linux')).toBe('posix')
  })
})

describe('splitArgv on the Node side', () => {
  it.skipIf(process.platform === 'win32')('splits by the platform’s rules when no style is given', () => {
    expect(splitArgv(`python3 'job.py' C:\\\\x`)).toEqual(['python3', 'job.py', 'C:\\x'])
  })

  it('splits by the style it is given', () => {
    expect(splitArgv('C:\\dir\\job.py', 'windows')).toEqual(['C:\\dir\\job.py'])
  })

  it('throws the shared ArgvSyntaxError', () => {
    expect(() => splitArgv('echo "open', 'posix')).toThrow(ArgvSyntaxError)
  })
})
