import { afterEach, describe, expect, it } from 'vitest'
import type { EventChannel } from '../../../shared/contract'
import { createLauncherService } from '../../../main/app/launcher-service'
import { EventHub } from '../../../main/ipc/event-hub'
import { RequestError } from '../../../main/ipc/request-error'
import { eventually } from '../platform/fixture-process'

const node = process.execPath
let service: ReturnType<typeof createLauncherService> | undefined

afterEach(async () => {
  await service?.dispose()
  service = undefined
})

describe('createLauncherService', () => {
  it('publishes each launch’s updates and output on the hub, with its grace period', async () => {
    const hub = new EventHub()
    const seen: { channel: EventChannel; payload: unknown }[] = []
    hub.subscribeAll((channel, payload) => seen.push({ channel, payload }))
    service = createLauncherService(hub)
    const started = await service.start({ argv: [node, '-e', 'console.log("hi")'], shell: false })
    expect(started).toMatchObject({ launchId: 'launch-1', graceMs: expect.any(Number), exit: undefined })
    await eventually(() => seen.some((e) => e.channel === 'launch:update' && (e.payload as { exit?: unknown }).exit !== undefined))
    expect(seen).toContainEqual({ channel: 'launch:output', payload: expect.objectContaining({ launchId: 'launch-1', lines: ['hi'] }) })
    expect(seen.find((e) => e.channel === 'launch:update')?.payload).toMatchObject({ graceMs: started.graceMs, stopDeadlineAt: null })
  })

  it('answers launch:get with the launch’s detail, tailing its logs', async () => {
    service = createLauncherService(new EventHub())
    const { launchId } = await service.start({ argv: [node, '-e', 'console.log("a\\nb\\nc"); setInterval(() => {}, 1000)'], shell: false })
    await eventually(() => service?.get({ launchId }).output.stdout.lines.length === 3)
    expect(service.get({ launchId, tailLines: 2 }).output.stdout.lines).toEqual(['b', 'c'])
    expect(service.list().map((l) => l.launchId)).toEqual([launchId])
  })

  it('turns an unknown launch id into not-found and a failed start into failed', async () => {
    service = createLauncherService(new EventHub())
    expect(() => service?.get({ launchId: 'launch-9' })).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => service?.get({ launchId: 'launch-9' })).toThrow(RequestError)
    await expect(service.signal({ launchId: 'launch-9', action: 'kill', scope: 'tree' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(service.start({ argv: ['poolscope-no-such-command'], shell: false })).rejects.toMatchObject({
      code: 'failed',
      message: 'command not found: poolscope-no-such-command'
    })
  })
})
