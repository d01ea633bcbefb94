import type { ContractErrorCode } from '../../shared/contract'

/**
 * Base of every launcher error, one subclass per reason (callers branch on the class). `code` is
 * the contract's, so a request that fails with one reaches the caller as it is: an unknown launch
 * is `not-found`, a pid outside the tree `forbidden`, and a start the OS refused `failed`.
 */
export abstract class LaunchError extends Error {
  readonly code: ContractErrorCode = 'failed'
}

/** The options cannot describe a launch (an empty argv, a bad number). */
export class InvalidLaunchOptionsError extends LaunchError {
  override readonly name = 'InvalidLaunchOptionsError'
}

/** The executable does not exist (spawn's ENOENT). */
export class CommandNotFoundError extends LaunchError {
  override readonly name = 'CommandNotFoundError'

  constructor(readonly command: string) {
    super(`command not found: ${command}`)
  }
}

/** The executable exists but may not be run (spawn's EACCES). */
export class PermissionDeniedError extends LaunchError {
  override readonly name = 'PermissionDeniedError'

  constructor(readonly command: string) {
    super(`permission denied: ${command}`)
  }
}

/**
 * The working folder does not exist. Checked before spawning because spawn reports a missing cwd
 * as ENOENT too, which would read as "command not found".
 */
export class WorkingFolderNotFoundError extends LaunchError {
  override readonly name = 'WorkingFolderNotFoundError'

  constructor(readonly cwd: string) {
    super(`working folder not found: ${cwd}`)
  }
}

/** Any other reason the OS refused to start the process. */
export class SpawnFailedError extends LaunchError {
  override readonly name = 'SpawnFailedError'

  constructor(command: string, cause: Error) {
    super(`could not start ${command}: ${cause.message}`, { cause })
  }
}

/** No launch has this id (or it was forgotten). */
export class UnknownLaunchError extends LaunchError {
  override readonly name = 'UnknownLaunchError'
  override readonly code = 'not-found'

  constructor(readonly launchId: string) {
    super(`no launch with id ${launchId}`)
  }
}

/**
 * The pid is not part of the launch's tree. Signals are only ever sent inside a tree the launcher
 * started, so a request from the (untrusted) renderer cannot kill an arbitrary process.
 */
export class NotInTreeError extends LaunchError {
  override readonly name = 'NotInTreeError'
  override readonly code = 'forbidden'

  constructor(
    readonly launchId: string,
    readonly pid: number
  ) {
    super(`process ${pid} is not part of ${launchId}`)
  }
}
