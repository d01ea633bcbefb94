/**
 * The launcher (main/launch/) behind the contract: forwards its events to the hub and turns its
 * typed errors into request errors the renderer can show.
 */
import type { ValidatedArgs } from '../../shared/contract'
import type { EventHub } from '../ipc/event-hub'
import { RequestError } from '../ipc/request-error'
import { LaunchError, NotInTreeError, UnknownLaunchError } from '../launch/launch-errors'
import { Launcher } from '../launch/launcher'

export function createLauncherService(hub: EventHub) {
  const launcher = new Launcher()
  launcher.on('update', (update) => hub.publish('launch:update', update))
  launcher.on('output', (output) => hub.publish('launch:output', output))

  const asRequestError = (err: unknown): never => {
    if (err instanceof UnknownLaunchError) throw new RequestError('not-found', err.message)
    if (err instanceof NotInTreeError) throw new RequestError('forbidden', err.message)
    if (err instanceof LaunchError) throw new RequestError('failed', err.message)
    throw err
  }

  return {
    start: (args: ValidatedArgs<'launch:start'>) => launcher.start(args).catch(asRequestError),
    signal: (args: ValidatedArgs<'launch:signal'>) => launcher.signal(args).catch(asRequestError),
    list: () => launcher.list(),
    get: (args: ValidatedArgs<'launch:get'>) => {
      try {
        return launcher.detail(args.launchId, args.tailLines)
      } catch (err) {
        return asRequestError(err)
      }
    },
    dispose: () => launcher.dispose()
  }
}
