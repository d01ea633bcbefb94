/**
 * The one check of the launch permission. Which requests run arbitrary commands on this machine
 * (launching a process tree, signalling one, benchmarking a shell command) is the contract's to
 * say (`runsCommands` in a channel's entry); the app's gatekeeper applies this policy to every
 * transport (`main/app.ts`) before any handler runs. Browser mode turns launching off unless
 * started with `--allow-launch`, because anyone who obtains the page's token could otherwise run
 * any program.
 */
import { requests, type RequestSpec } from '../../shared/contract'
import type { Authorize, ValidatedRequest } from './dispatcher'

/** Why launching is off, as `app:info` tells the renderer. */
export const LAUNCH_OFF_REASON = 'Launching commands is off in browser mode; start the server with `poolscope serve --allow-launch`.'

/** Whether this request would run or signal a command of the caller's choosing. */
export function runsCommands(request: ValidatedRequest): boolean {
  const spec: RequestSpec = requests[request.channel]
  return spec.runsCommands?.(request.args) ?? false
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
