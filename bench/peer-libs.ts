/**
 * The peer libraries, loaded at run time from `node_modules` rather than bundled: piscina and
 * tinypool find their own worker entry files next to their code, which bundling would break.
 * Each is loaded only by the contender that uses it, so one peer's modules never weigh on
 * another's start-up or RSS figures in the child processes of W4.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './paths'

const requireFromRoot = createRequire(join(repoRoot, 'package.json'))

export interface PiscinaLike {
  run(task: unknown, options?: { name?: string }): Promise<unknown>
  destroy(): Promise<void>
}
export interface TinypoolLike {
  run(task: unknown, options?: { name?: string }): Promise<unknown>
  destroy(): Promise<void>
}
export interface WorkerpoolLike {
  exec(method: string, params: unknown[]): Promise<unknown>
  terminate(force?: boolean): Promise<void>
}

export function loadPiscina(): new (options: Record<string, unknown>) => PiscinaLike {
  const mod = requireFromRoot('piscina') as { Piscina?: unknown; default?: unknown }
  return (mod.Piscina ?? mod.default ?? mod) as new (options: Record<string, unknown>) => PiscinaLike
}

export function loadWorkerpool(): { pool(script: string, options: Record<string, unknown>): WorkerpoolLike } {
  return requireFromRoot('workerpool') as { pool(script: string, options: Record<string, unknown>): WorkerpoolLike }
}

/** tinypool is ESM-only; a variable specifier keeps the bundler from touching the import. */
export async function loadTinypool(): Promise<new (options: Record<string, unknown>) => TinypoolLike> {
  const url = pathToFileURL(requireFromRoot.resolve('tinypool')).href
  const mod = (await import(/* @vite-ignore */ url)) as { Tinypool: new (options: Record<string, unknown>) => TinypoolLike }
  return mod.Tinypool
}

/** Installed version, read from the package's own package.json (piscina does not export that path). */
export function peerVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'not installed'
  }
}

export interface SysteminformationLike {
  currentLoad(): Promise<unknown>
  mem(): Promise<unknown>
}

/** systeminformation, for W6's reference sampler (the way the issue first measured the machine). */
export function loadSysteminformation(): SysteminformationLike {
  return requireFromRoot('systeminformation') as SysteminformationLike
}
