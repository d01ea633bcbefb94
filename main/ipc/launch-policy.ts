/**
 * Which requests run arbitrary commands on this machine: launching a process tree, signalling one,
 * and benchmarking a shell command. Browser mode refuses them unless started with
 * `--allow-launch`, because anyone who obtains the page's token could otherwise run any program.
 */
import type { Authorize, ValidatedRequest } from './dispatcher'

/** Whether this request would run or signal a command of the caller's choosing. */
export function runsCommands(request: ValidatedRequest): boolean {
  switch (request.channel) {
    case 'launch:start':
    case 'launch:signal':
      return true
    case 'bench:start':
      return request.args.command !== undefined
    default:
      return false
  }
}

/** A gatekeeper policy that refuses command-running requests with `forbidden` unless allowed. */
export function launchPolicy(allowLaunch: boolean): Authorize {
  return (request) =>
    allowLaunch || !runsCommands(request)
      ? undefined
      : {
          code: 'forbidden',
          message: `${request.channel} runs commands, which is off in this session; restart with \`poolscope serve --allow-launch\` to allow it`
        }
}
