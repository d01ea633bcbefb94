/**
 * The class-based way to define a process's work, like subclassing Python's `Process` and
 * overriding `run()`: export a subclass from a module, start it with
 * `new Process({ target: '<task-id>:<ClassName>', args })`; the worker constructs it with `args`
 * and calls `run()`. Instance state lives in the child; results travel through shared state
 * (a `Value`, a `Queue`…) or `run()`'s return value.
 */
export abstract class ProcessTask {
  /** Marks subclasses so the worker constructs them instead of calling them. */
  static readonly isProcessTask = true
  abstract run(): unknown
}

export function isProcessTaskClass(fn: unknown): fn is new (...args: unknown[]) => ProcessTask {
  return typeof fn === 'function' && (fn as { isProcessTask?: unknown }).isProcessTask === true
}
