/**
 * game-loops — three long-running processes (render, logic, network), each ticking at a set rate
 * until the run is stopped. Stopping escalates: first each loop is asked (its next tick's reply
 * says stop, and it returns), then a loop still running after the grace period gets SIGTERM, then
 * SIGKILL. Afterwards none is left: every loop has exited and, on the process backend, its pid is
 * gone.
 */
import { isMainThread } from 'node:worker_threads'
import type { Process } from '../main/pool/process'
import { callParent, currentWorker } from '../main/pool/worker-context'
import { defineTask } from './task-definition'
import { choice, integer } from './params'

/** The three loops, in the order they start. */
export const LOOP_ROLES = ['render', 'logic', 'network'] as const
/** One of the three loops. */
export type LoopRole = (typeof LOOP_ROLES)[number]

/** The parent-side service every loop reports its ticks to; its reply carries the stop request. */
const LOOP_SERVICE = 'game-loops'

/**
 * A loop that has not started ticking yet is given up to this long to get there before the stop
 * steps begin: stopping a loop still booting (a stop right after start, a busy machine) would
 * otherwise end it before its first tick, by signal rather than cleanly.
 */
const STARTUP_DEADLINE_MS = 15_000

/** Render: a small frame buffer, redrawn every tick. */
const FRAME_WIDTH = 64
const FRAME_HEIGHT = 36
/** Logic: the box the simulated entity bounces in, in world units. */
const WORLD_SIZE = 100

/** The parent's answer to a tick. */
export interface TickReply {
  stop: boolean
}

/** What a loop that stopped by itself reports. */
export interface LoopSummary {
  role: LoopRole
  name: string
  pid: number
  ticks: number
  /** Ticks that started after their deadline (the loop fell behind its rate). */
  lateTicks: number
  /** The role's own work, for the curious: a frame checksum, an entity position, bytes "sent". */
  work: Record<string, number>
}

/** One tick's work of each role: small, real computation so the loops show up as busy processes. */
function makeStepper(role: LoopRole): { step(tick: number): void; work(): Record<string, number> } {
  switch (role) {
    case 'render': {
      const frame = new Uint8Array(FRAME_WIDTH * FRAME_HEIGHT)
      let checksum = 0
      return {
        step(tick) {
          checksum = 0
          for (let y = 0; y < FRAME_HEIGHT; y++) {
            for (let x = 0; x < FRAME_WIDTH; x++) {
              const shade = (x + y + tick) & 0xff
              frame[y * FRAME_WIDTH + x] = shade
              checksum = (checksum + shade) >>> 0
            }
          }
        },
        work: () => ({ pixelsPerFrame: frame.length, lastFrameChecksum: checksum })
      }
    }
    case 'logic': {
      const entity = { x: 10, y: 20, vx: 1.5, vy: -0.75 }
      return {
        step() {
          entity.x += entity.vx
          entity.y += entity.vy
          // Bounce off the walls of the world.
          if (entity.x < 0 || entity.x > WORLD_SIZE) entity.vx = -entity.vx
          if (entity.y < 0 || entity.y > WORLD_SIZE) entity.vy = -entity.vy
        },
        work: () => ({ entityX: Math.round(entity.x * 100) / 100, entityY: Math.round(entity.y * 100) / 100 })
      }
    }
    case 'network': {
      let bytesSent = 0
      return {
        step(tick) {
          bytesSent += Buffer.byteLength(JSON.stringify({ type: 'heartbeat', seq: tick, at: Date.now() }))
        },
        work: () => ({ heartbeatBytes: bytesSent })
      }
    }
  }
}

/**
 * Worker side: runs one loop at `tickHz` until the parent's reply to a tick says stop. Deadlines
 * are computed from the start (start + n·period), not from the previous tick, so the rate does
 * not drift by the time each tick takes. `ignoresStop` makes a stubborn loop that ignores both the
 * request and SIGTERM, to show the escalation to a kill.
 */
export async function runLoop(role: LoopRole, tickHz: number, ignoresStop: boolean): Promise<LoopSummary> {
  // Signals reach only the main thread of a process; a thread has nothing to ignore.
  if (ignoresStop && isMainThread) process.on('SIGTERM', () => undefined)
  const periodMs = 1000 / tickHz
  const stepper = makeStepper(role)
  const began = performance.now()
  let ticks = 0
  let lateTicks = 0
  for (;;) {
    stepper.step(ticks)
    ticks++
    const reply = (await callParent(LOOP_SERVICE, 'tick', ticks)) as TickReply
    if (reply.stop && !ignoresStop) break
    const waitMs = began + ticks * periodMs - performance.now()
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs))
    else lateTicks++
  }
  const me = currentWorker()
  return { role, name: me.name, pid: me.pid, ticks, lateTicks, work: stepper.work() }
}

/** How a loop ended: asked (it returned), SIGTERM, SIGKILL, or it had ended before the stop. */
export type StopStep = 'asked' | 'terminated' | 'killed' | 'ended-early'

/**
 * Parent side: waits up to `askMs` for a process that was asked to stop, then sends SIGTERM,
 * waits `graceMs`, then kills it. Resolves once it has exited, with the step that ended it.
 */
export async function stopWithEscalation(
  child: Process,
  { askMs, graceMs, wasRunning = true }: { askMs: number; graceMs: number; wasRunning?: boolean }
): Promise<StopStep> {
  if (!wasRunning) return 'ended-early'
  await child.join(askMs)
  if (child.isAlive()) {
    child.terminate()
    await child.join(graceMs)
  }
  if (child.isAlive()) {
    child.kill()
    await child.join()
  }
  return endedBy(child)
}

/**
 * Which step ended an exited process, judged by how it exited rather than by which steps were
 * sent: a process that had already returned and was on its way out when SIGTERM came (a busy
 * machine) still left cleanly, with code 0 and no signal.
 */
function endedBy(child: Process): StopStep {
  if (child.signal === 'SIGKILL') return 'killed'
  if (child.exitCode === 0 && child.signal === null) return 'asked'
  return 'terminated'
}

/** Whether `pid` names no process any more (signal 0 probes without signalling). */
function isPidGone(pid: number | undefined): boolean {
  if (pid === undefined) return true
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

interface LoopRecord {
  role: LoopRole
  child: Process
  /** Resolves at the loop's first tick. */
  firstTick: Promise<void>
  ticks: number
  firstTickAt: number | undefined
  lastTickAt: number | undefined
}

export default defineTask({
  id: 'game-loops',
  title: 'Game loops until stopped',
  description:
    'Starts three long-running processes — render, logic and network — that each tick at the same rate and report ' +
    'every tick, until you stop the run. Stopping asks each loop to finish; a loop still running after the grace ' +
    'period gets SIGTERM, then SIGKILL. Make one loop stubborn to watch that escalation. When the run ends all three ' +
    'have exited, none is left behind, and each reports how many ticks it made.',
  pattern: 'Long-running Process objects: terminate, kill and join on stop',
  longRunning: true,
  params: (z) =>
    z
      .object({
        tickHz: integer({ min: 1, max: 1000, default: 30, description: 'Ticks per second of every loop' }),
        graceMs: integer({ min: 0, max: 10_000, default: 500, description: 'How long a loop gets after each stop step before the next, ms' }),
        stubborn: choice(['none', ...LOOP_ROLES], {
          default: 'none',
          description: 'A loop that ignores the stop request and SIGTERM, so it must be killed'
        })
      })
      .strict(),
  async run(ctx) {
    const { tickHz, graceMs, stubborn } = ctx.params
    let isStopRequested = false
    let totalTicks = 0
    const began = performance.now()

    const loops: LoopRecord[] = LOOP_ROLES.map((role) => {
      const child = ctx.createProcess({
        target: 'game-loops:runLoop',
        args: [role, tickHz, stubborn === role],
        name: `${role}-loop`,
        backend: ctx.backend
      })
      let hasTicked!: () => void
      const firstTick = new Promise<void>((resolve) => (hasTicked = resolve))
      const record: LoopRecord = { role, child, firstTick, ticks: 0, firstTickAt: undefined, lastTickAt: undefined }
      child.registerService(LOOP_SERVICE, {
        tick(ticks: number): TickReply {
          const now = performance.now()
          hasTicked()
          record.firstTickAt ??= now
          record.lastTickAt = now
          totalTicks += ticks - record.ticks
          record.ticks = ticks
          ctx.progress(totalTicks)
          return { stop: isStopRequested }
        }
      })
      return record
    })
    for (const { child } of loops) child.start()
    ctx.log(`loops started: ${loops.map(({ child }) => `${child.name} (pid ${child.pid})`).join(', ')}`)

    // Runs until the user (or --duration) stops it, or until a loop ends by itself, which is a fault.
    const stopped = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve()
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await Promise.race([stopped, ...loops.map(({ child }) => child.join())])
    const stopRequestedAfterMs = performance.now() - began
    const wasRunning = loops.map(({ child }) => child.isAlive())
    isStopRequested = true
    // A loop hears the request in the reply to its next tick, so it gets at least two tick periods.
    const askMs = Math.max(graceMs, Math.ceil(2000 / tickHz))
    ctx.log(`stopping: asking each loop, SIGTERM after ${askMs} ms, SIGKILL ${graceMs} ms later`)
    const steps = await Promise.all(
      loops.map(async ({ child, firstTick }, i) => {
        let timer: NodeJS.Timeout | undefined
        const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_DEADLINE_MS)))
        await Promise.race([firstTick, child.join(), deadline])
        clearTimeout(timer)
        return stopWithEscalation(child, { askMs, graceMs, wasRunning: wasRunning[i] })
      })
    )

    const isProcessBackend = ctx.backend === 'process'
    const report = loops.map(({ role, child, ticks, firstTickAt, lastTickAt }, i) => {
      const summary = child.result as LoopSummary | undefined
      const spanMs = firstTickAt !== undefined && lastTickAt !== undefined ? lastTickAt - firstTickAt : 0
      return {
        role,
        name: child.name,
        pid: child.pid,
        ticks: summary?.ticks ?? ticks,
        ticksPerSecond: spanMs > 0 ? Math.round(((ticks - 1) / spanMs) * 1000 * 10) / 10 : undefined,
        lateTicks: summary?.lateTicks,
        work: summary?.work,
        stoppedBy: steps[i],
        exitCode: child.exitCode,
        signal: child.signal,
        error: child.error?.message,
        hasExited: !child.isAlive(),
        isPidGone: isProcessBackend ? isPidGone(child.pid) : undefined
      }
    })

    const failures: string[] = []
    for (const loop of report) {
      if (loop.stoppedBy === 'ended-early') failures.push(`${loop.name} ended by itself before the stop (exit code ${loop.exitCode})`)
      if (loop.error) failures.push(`${loop.name} failed: ${loop.error}`)
      if (!loop.hasExited) failures.push(`${loop.name} is still running`)
      if (loop.isPidGone === false) failures.push(`${loop.name}'s pid ${loop.pid} still exists`)
      if (!(loop.ticks > 0)) failures.push(`${loop.name} never ticked`)
    }

    return {
      result: { tickHz, graceMs, stubborn, ranMs: Math.round(stopRequestedAfterMs), loops: report },
      check: {
        ok: failures.length === 0,
        summary:
          failures.length === 0
            ? `all three loops ticked and exited, none left behind: ` +
              report.map((loop) => `${loop.role} ${loop.ticks} ticks (${loop.stoppedBy})`).join(', ')
            : failures.join('; ')
      }
    }
  }
})
