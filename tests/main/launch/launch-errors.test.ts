import { describe, expect, it } from 'vitest'
import {
  CommandNotFoundError,
  LaunchError,
  NotInTreeError,
  UnknownLaunchError,
  WorkingFolderNotFoundError
} from '../../../main/launch/launch-errors'

describe('launch errors', () => {
  it('say what went wrong in one line and carry the contract code a request fails with', () => {
    const errors = [
      new CommandNotFoundError('nope'),
      new WorkingFolderNotFoundError('/no/such'),
      new UnknownLaunchError('launch-9'),
      new NotInTreeError('launch-1', 1)
    ]
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['failed', 'command not found: nope'],
      ['failed', 'working folder not found: /no/such'],
      ['not-found', 'no launch with id launch-9'],
      ['forbidden', 'process 1 is not part of launch-1']
    ])
    for (const error of errors) expect(error).toBeInstanceOf(LaunchError)
  })
})
