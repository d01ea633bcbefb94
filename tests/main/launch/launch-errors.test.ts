import { describe, expect, it } from 'vitest'
import {
  CommandNotFoundError,
  LaunchError,
  NotInTreeError,
  UnknownLaunchError,
  WorkingFolderNotFoundError
} from '../../../main/launch/launch-errors'

describe('launch errors', () => {
  it('say what went wrong in one line and carry a code to branch on', () => {
    const errors = [
      new CommandNotFoundError('nope'),
      new WorkingFolderNotFoundError('/no/such'),
      new UnknownLaunchError('launch-9'),
      new NotInTreeError('launch-1', 1)
    ]
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['command-not-found', 'command not found: nope'],
      ['working-folder-not-found', 'working folder not found: /no/such'],
      ['unknown-launch', 'no launch with id launch-9'],
      ['not-in-tree', 'process 1 is not part of launch-1']
    ])
    for (const error of errors) expect(error).toBeInstanceOf(LaunchError)
  })
})
