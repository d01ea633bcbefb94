import { afterEach, describe, expect, it } from 'vitest'
import type { EventChannel } from '../../../shared/contract'
import { createLaunchFeature } from '../../../main/launch/launch-feature'
import { EventHub } from '../../../main/ipc/event-hub'
import { eventually } from '../platform/fixture-process'

const node = process.execPath
let feature: ReturnType<typeof createLaunchFeature> | undefined

afterEach(async () => {
  await feature?.dispose()
  feature = undefined
})

describe('createLaunchFeature', () => {
  it('publishes each launch’s updates and output on the hub, with its grace period', async () => {
    const hub = new EventHub()
    const seen: { channel: EventChannel; payload: unknown }[] = []
    hub.subscribeAll((channel, payload) => seen.push({ channel, payload }))
    feature = createLaunchFeature(hub)
    const started = await feature.handlers['launch:start']({ argv: [node, '-e', 'console.log("hi")'], shell: false })
    expect(started).toMatchObject({ launchId: 'launch-1', graceMs: expect.any(Number), exit: undefined })
    await eventually(() => seen.some((e) => e.channel === 'launch:update' && (e.payload as { exit?: unknown }).exit !== undefined))
    expect(seen).toContainEqual({ channel: 'launch:output', payload: expect.objectContaining({ launchId: 'launch-1', lines: ['hi'] }) })
    expect(seen.find((e) => e.channel === 'launch:update')?.payload).toMatchObject({ graceMs: started.graceMs, stopDeadlineAt: null })
  })

  it('answers launch:get with the launch’s detail, tailing its logs', async () => {
    const { handlers, dispose } = (feature = createLaunchFeature(new EventHub()))
    const { launchId } = await handlers['launch:start']({ argv: [node, '-e', 'console.log("a\\nb\\nc"); setInterval(() => {}, 1000)'], shell: false })
    await eventually(() => handlers['launch:get']({ launchId }).output.stdout.lines.length === 3)
    expect(handlers['launch:get']({ launchId, tailLines: 2 }).output.stdout.lines).toEqual(['b', 'c'])
    expect(handlers['launch:list']().map((l) => l.launchId)).toEqual([launchId])
    await dispose()
  })

  it('fails an unknown launch id with not-found and a failed start with failed, the errors’ own codes', async () => {
    const { handlers } = (feature = createLaunchFeature(new EventHub()))
    expect(() => handlers['launch:get']({ launchId: 'launch-9' })).toThrow(expect.objectContaining({ code: 'not-found' }))
    await expect(handlers['launch:signal']({ launchId: 'launch-9', action: 'kill', scope: 'tree' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(handlers['launch:start']({ argv: ['poolscope-no-such-command'], shell: false })).rejects.toMatchObject({
      code: 'failed',
      message: 'command not found: poolscope-no-such-command'
    })
  })
})
