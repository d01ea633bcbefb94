/**
 * Shared option parsers for CLI flags: each rejects bad values with a reason commander prints next
 * to the flag ("option '--workers <n>' argument '0' is invalid. must be an integer ≥ 1").
 */
import { InvalidArgumentError } from 'commander'
import type { ParamSpec } from '../../shared/contract'
import { coerceParam } from '../../tasks/params'
import { UsageError } from './usage-error'
import { parseRedisUrl, RedisUrlError, type RedisTarget } from '../cluster/redis-url'

export function intAtLeast(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const value = Number(raw)
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`)
    }
    return value
  }
}

export function backendOption(raw: string): 'process' | 'thread' {
  if (raw !== 'process' && raw !== 'thread') throw new InvalidArgumentError('must be "process" or "thread"')
  return raw
}

/** Collects repeated `--set name=value` flags. */
export function collectSet(raw: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z][\w-]*=/.test(raw)) throw new InvalidArgumentError('must look like name=value')
  return [...previous, raw]
}

/** Turns `name=value` pairs into typed parameters by the task's specs; unknown names are kept for validation to reject. */
export function parseSets(sets: string[], specs: ParamSpec[]): Record<string, unknown> {
  // No prototype: `toString` or `constructor` would otherwise count as set already, and
  // `__proto__` would replace the prototype instead of reaching validation as an unknown name.
  const params: Record<string, unknown> = Object.create(null)
  for (const pair of sets) {
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq)
    if (Object.hasOwn(params, name)) throw new UsageError(`parameter ${name} is set twice`)
    params[name] = coerceParam(
      specs.find((s) => s.name === name),
      pair.slice(eq + 1)
    )
  }
  return params
}

/**
 * A `--redis` value, checked in the command rather than as a commander argument parser:
 * commander's message for a bad argument repeats the argument, and that may hold a password.
 */
export function redisTargetFlag(raw: string): RedisTarget {
  try {
    return parseRedisUrl(raw)
  } catch (error) {
    if (error instanceof RedisUrlError) throw new UsageError(`--redis: ${error.message}`)
    throw error
  }
}
