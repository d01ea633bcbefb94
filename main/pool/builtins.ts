/**
 * Functions every worker has without loading a module, for benchmarks and smoke checks:
 * `builtin:identity` returns its argument; `builtin:sleep` waits `ms` then returns it.
 */
export const builtins: Record<string, (...args: never[]) => unknown> = {
  identity: (x: unknown) => x,
  sleep: (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms))
}
