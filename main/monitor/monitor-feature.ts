/**
 * The machine monitor behind the contract: a `monitor:sample` on the hub at the configured rate
 * (per-core busy %, memory, load), its recent history for windows opened late (`monitor:history`),
 * and the rate itself (`monitor:configure`).
 */
import type { EventHub } from '../ipc/event-hub'
import type { Handlers } from '../ipc/handlers'
import { SystemSampler } from './system-sampler'

/** Creates and starts the monitor; `dispose()` stops its sampling. */
export function createMonitorFeature(hub: EventHub) {
  const system = new SystemSampler()
  system.on('sample', (sample) => hub.publish('monitor:sample', sample))
  // A failed reading skips one sample; the next one is still taken.
  system.on('error', () => undefined)
  system.start()

  const handlers = {
    'monitor:history': ({ sinceMs }) => system.history(sinceMs),
    'monitor:configure': ({ rateHz }) => {
      system.setRate(rateHz)
      return { rateHz: system.rateHz }
    }
  } satisfies Partial<Handlers>

  return { handlers, dispose: () => system.stop() }
}
