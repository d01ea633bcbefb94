/**
 * The one module that knows about the OS: process tables (`/proc` on Linux, `ps` on macOS,
 * systeminformation elsewhere), signals and process trees, memory. Import from here, not from the
 * files behind it.
 *
 * The free functions use one shared {@link Platform} created on first use; code that needs another
 * `/proc` or a forced table (tests) creates its own and passes it in.
 */
import type { MemoryInfo, ProcessInfo, ProcessUsage, SignalAction } from './process-info'
import { Platform, type TreeOptions } from './platform'

export { Platform, type PlatformOptions, type TreeOptions } from './platform'
export type { MemoryInfo, ProcessInfo, ProcessRef, ProcessState, ProcessUsage, SignalAction } from './process-info'
export type { ProcessTable } from './process-table'
export { parentDeathLauncher, PARENT_DEATH_SIGNAL_ENV, PARENT_DEATH_SIGNAL_OPT_OUT } from './parent-death'
export { cpuPlacement, processorOfStatBytes, type CpuPlacement } from './cpu-placement'

let shared: Platform | undefined

/** The platform of the machine this runs on, created once. */
export function defaultPlatform(): Platform {
  shared ??= new Platform()
  return shared
}

/** See {@link Platform.isProcessAlive}. */
export function isProcessAlive(pid: number): boolean {
  return defaultPlatform().isProcessAlive(pid)
}

/** See {@link Platform.listProcesses}. */
export function listProcesses(): Promise<ProcessInfo[]> {
  return defaultPlatform().listProcesses()
}

/** See {@link Platform.readUsage}. */
export function readUsage(pids: readonly number[]): Promise<ProcessUsage[]> {
  return defaultPlatform().readUsage(pids)
}

/** See {@link Platform.listTree}. */
export function listTree(rootPid: number, options?: TreeOptions): Promise<ProcessInfo[]> {
  return defaultPlatform().listTree(rootPid, options)
}

/** See {@link Platform.descendantsOf}. */
export function descendantsOf(pid: number): Promise<number[]> {
  return defaultPlatform().descendantsOf(pid)
}

/** See {@link Platform.killTree}. */
export function killTree(rootPid: number, signal: NodeJS.Signals, options?: TreeOptions): Promise<number[]> {
  return defaultPlatform().killTree(rootPid, signal, options)
}

/** See {@link Platform.signalProcess}. */
export function signalProcess(pid: number, action: SignalAction): boolean {
  return defaultPlatform().signalProcess(pid, action)
}

/** See {@link Platform.readMemory}. */
export function readMemory(): Promise<MemoryInfo> {
  return defaultPlatform().readMemory()
}
