import { describe, expect, it } from 'vitest'
import { stateFromBsdLetter, stateFromLinuxLetter } from '../../../main/platform/process-info'

describe('process states', () => {
  it('names Linux state letters', () => {
    expect(['R', 'S', 'D', 'T', 't', 'Z', 'I', '?'].map(stateFromLinuxLetter)).toEqual([
      'running',
      'sleeping',
      'disk-sleep',
      'stopped',
      'stopped',
      'zombie',
      'idle',
      'unknown'
    ])
  })

  it('names BSD ps STAT columns by their first letter', () => {
    expect(['Ss', 'R+', 'I', 'U', 'Z', 'T'].map(stateFromBsdLetter)).toEqual(['sleeping', 'running', 'idle', 'disk-sleep', 'zombie', 'stopped'])
  })
})
