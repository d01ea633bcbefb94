import { describe, expect, it } from 'vitest'
import { launchPolicy, runsCommands } from '../../../main/ipc/launch-policy'
import type { ValidatedRequest } from '../../../main/ipc/dispatcher'

const ctx = { senderId: 'ws:1' }
const benchArgs = { workers: [1], shell: false, params: {}, runs: 3, warmup: 1, backend: 'process' as const }
const launch: ValidatedRequest = { channel: 'launch:start', args: { argv: ['rm', '-rf', '/'], shell: false } }
const signal: ValidatedRequest = { channel: 'launch:signal', args: { launchId: 'l', action: 'kill', scope: 'tree' } }
const commandBench: ValidatedRequest = { channel: 'bench:start', args: { ...benchArgs, command: 'make -j' } }
const taskBench: ValidatedRequest = { channel: 'bench:start', args: { ...benchArgs, taskId: 'sum' } }
const listLaunches: ValidatedRequest = { channel: 'launch:list', args: {} }

describe('runsCommands', () => {
  it('flags launching, signalling and benchmarking a command, and nothing else', () => {
    expect([launch, signal, commandBench, taskBench, listLaunches].map(runsCommands)).toEqual([true, true, true, false, false])
  })
})

describe('launchPolicy', () => {
  it('refuses command-running requests as forbidden when launching is off, pointing at the flag', () => {
    const refusal = launchPolicy(false)(launch, ctx)
    expect(refusal?.code).toBe('forbidden')
    expect(refusal?.message).toContain('--allow-launch')
    expect(launchPolicy(false)(commandBench, ctx)?.code).toBe('forbidden')
  })

  it('lets everything else through when launching is off', () => {
    expect(launchPolicy(false)(taskBench, ctx)).toBeUndefined()
    expect(launchPolicy(false)(listLaunches, ctx)).toBeUndefined()
  })

  it('lets command-running requests through when launching is allowed', () => {
    expect(launchPolicy(true)(launch, ctx)).toBeUndefined()
    expect(launchPolicy(true)(commandBench, ctx)).toBeUndefined()
  })
})
