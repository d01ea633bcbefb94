/**
 * The launcher behind the contract: answers the `launch:*` channels and publishes each launch's
 * `launch:update` and `launch:output` on the hub. Whether launching is allowed at all is the
 * gatekeeper's decision (`main/ipc/launch-policy.ts`), made before any of these handlers runs.
 */
import type { EventHub } from '../ipc/event-hub'
import type { Handlers } from '../ipc/handlers'
import { Launcher } from './launcher'

/** Creates the launcher feature; `dispose()` kills every tree it started. */
export function createLaunchFeature(hub: EventHub) {
  const launcher = new Launcher()
  launcher.on('update', (update) => hub.publish('launch:update', update))
  launcher.on('output', (output) => hub.publish('launch:output', output))

  // Launch errors carry their contract code (unknown launch: not-found, pid outside the tree:
  // forbidden), so they are thrown through as they are.
  const handlers = {
    'launch:start': (args) => launcher.start(args),
    'launch:signal': (args) => launcher.signal(args),
    'launch:list': () => launcher.list(),
    'launch:get': ({ launchId, tailLines }) => launcher.detail(launchId, tailLines)
  } satisfies Partial<Handlers>

  return { handlers, dispose: () => launcher.dispose() }
}
