/** Why a launch request failed; one subclass per reason, so callers can branch on `code`. */
export type LaunchErrorCode =
  | 'invalid-options'
  | 'command-not-found'
  | 'permission-denied'
  | 'working-folder-not-found'
  | 'spawn-failed'
  | 'unknown-launch'
  | 'not-in-tree'

/** Base of every launcher error. */
export abstract class LaunchError extends Error {
  abstract readonly code: LaunchErrorCode
}

/** The options cannot describe a launch (an empty argv, a bad number). */
export class InvalidLaunchOptionsError extends LaunchError {
  override readonly name = 'InvalidLaunchOptionsError'
  readonly code = 'invalid-options'
}

/** The executable does not exist (spawn's ENOENT). */
export class CommandNotFoundError extends LaunchError {
  override readonly name = 'CommandNotFoundError'
  readonly code = 'command-not-found'

  constructor(readonly command: string) {
    super(`command not found: ${command}`)
  }
}

/** The executable exists but may not be run (spawn's EACCES). */
export class PermissionDeniedError extends LaunchError {
  override readonly name = 'PermissionDeniedError'
  readonly code = 'permission-denied'

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
  readonly code = 'working-folder-not-found'

  constructor(readonly cwd: string) {
    super(`working folder not found: ${cwd}`)
  }
}

/** Any other reason the OS refused to start the process. */
export class SpawnFailedError extends LaunchError {
  override readonly name = 'SpawnFailedError'
  readonly code = 'spawn-failed'

  constructor(command: string, cause: Error) {
    super(`could not start ${command}: ${cause.message}`, { cause })
  }
}

/** No launch has this id (or it was forgotten). */
export class UnknownLaunchError extends LaunchError {
  override readonly name = 'UnknownLaunchError'
  readonly code = 'unknown-launch'

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
  readonly code = 'not-in-tree'

  constructor(
    readonly launchId: string,
    readonly pid: number
  ) {
    super(`process ${pid} is not part of ${launchId}`)
  }
}
