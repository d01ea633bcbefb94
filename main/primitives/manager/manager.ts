/**
 * Shared lists and dicts that several processes change, Python's `multiprocessing.Manager()`.
 * Python runs a separate server process and hands out proxies; here the parent is the server: the
 * containers live in this owner and every proxy call is one operation on them. The parent runs
 * one operation at a time, so each append, set or pop is applied whole and none is lost.
 */
import { IndexOutOfRangeError, InvalidArgumentError, InvalidHandleError, KeyMissingError, UnsupportedOperationError } from '../core/errors'
import { PrimitiveOwner } from '../core/primitive-owner'
import type { ManagerStats } from '../core/primitive-stats'
import { checkHandle, remoteTransport } from '../core/transport'
import { DictProxy, ListProxy, type DictHandle, type ListHandle } from './collection-proxies'

/** Options of a `Manager`. */
export interface ManagerOptions {
  /** A name for the monitor. */
  label?: string
}

/** Operations that only read; everything else counts as a write. */
const READS = new Set(['get', 'has', 'keys', 'length', 'snapshot'])

/** Owner of shared lists and dicts; `list()` and `dict()` create them, `Manager.connect()` reaches them from workers. */
export class Manager extends PrimitiveOwner {
  readonly #lists = new Map<number, unknown[]>()
  readonly #dicts = new Map<number, Map<string, unknown>>()
  #nextId = 1
  #reads = 0
  #writes = 0

  constructor(options: ManagerOptions = {}) {
    super('manager', options.label)
  }

  /** The worker side: a proxy for the list or dict behind `handle`. */
  static connect<T = unknown>(handle: ListHandle): ListProxy<T>
  static connect<T = unknown>(handle: DictHandle): DictProxy<T>
  static connect<T = unknown>(handle: ListHandle | DictHandle): ListProxy<T> | DictProxy<T> {
    const checked = checkHandle<ListHandle | DictHandle>(handle, ['manager-list', 'manager-dict'], 'Manager')
    const transport = remoteTransport(checked.service, 'Manager')
    return checked.kind === 'manager-list' ? new ListProxy<T>(checked, transport) : new DictProxy<T>(checked, transport)
  }

  /** A new shared list holding a copy of `initial`; pass `.handle` to tasks. */
  list<T = unknown>(initial: readonly T[] = []): ListProxy<T> {
    if (!Array.isArray(initial)) throw new InvalidArgumentError('initial must be an array')
    const id = this.#nextId++
    this.#lists.set(id, structuredClone([...initial]))
    return new ListProxy<T>({ kind: 'manager-list', service: this.service, id }, this.localTransport())
  }

  /** A new shared dict holding a copy of `initial`; pass `.handle` to tasks. */
  dict<T = unknown>(initial: Readonly<Record<string, T>> = {}): DictProxy<T> {
    if (initial === null || typeof initial !== 'object') throw new InvalidArgumentError('initial must be an object')
    const id = this.#nextId++
    this.#dicts.set(id, new Map(Object.entries(structuredClone(initial))))
    return new DictProxy<T>({ kind: 'manager-dict', service: this.service, id }, this.localTransport())
  }

  stats(): ManagerStats {
    return {
      kind: 'manager',
      service: this.service,
      label: this.label,
      isClosed: this.isClosed,
      lists: [...this.#lists].map(([id, list]) => ({ id, length: list.length })),
      dicts: [...this.#dicts].map(([id, dict]) => ({ id, size: dict.size })),
      writes: this.#writes,
      reads: this.#reads
    }
  }

  protected serve(method: string, args: unknown[]): unknown {
    const dot = method.indexOf('.')
    const container = method.slice(0, dot)
    const operation = method.slice(dot + 1)
    const result =
      container === 'list'
        ? this.#listOperation(this.#find(this.#lists, args[0], 'list'), operation, args.slice(1))
        : container === 'dict'
          ? this.#dictOperation(this.#find(this.#dicts, args[0], 'dict'), operation, args.slice(1))
          : unsupported(method)
    if (READS.has(operation)) this.#reads++
    else this.#writes++
    return result
  }

  /** Nothing waits on a manager, and what a dead worker wrote stays written. */
  protected callerExited(): void {}

  protected onClose(): void {}

  #find<C>(containers: Map<number, C>, id: unknown, what: string): C {
    const found = typeof id === 'number' ? containers.get(id) : undefined
    if (!found) throw new InvalidHandleError(`no shared ${what} with id ${String(id)} in this manager`)
    return found
  }

  #listOperation(list: unknown[], operation: string, args: unknown[]): unknown {
    switch (operation) {
      case 'append':
        return list.push(args[0])
      case 'extend':
        if (!Array.isArray(args[0])) throw new InvalidArgumentError('extend() needs an array')
        for (const value of args[0]) list.push(value)
        return list.length
      case 'get':
        return list[listIndex(list, args[0])]
      case 'set':
        list[listIndex(list, args[0])] = args[1]
        return undefined
      case 'pop': {
        if (list.length === 0) throw new IndexOutOfRangeError('pop from an empty list')
        return list.splice(listIndex(list, args[0] ?? -1), 1)[0]
      }
      case 'length':
        return list.length
      case 'snapshot':
        return [...list]
      default:
        return unsupported(`list.${operation}`)
    }
  }

  #dictOperation(dict: Map<string, unknown>, operation: string, args: unknown[]): unknown {
    switch (operation) {
      case 'set':
        dict.set(dictKey(args[0]), args[1])
        return undefined
      case 'get':
        return dict.get(dictKey(args[0]))
      case 'has':
        return dict.has(dictKey(args[0]))
      case 'delete':
        return dict.delete(dictKey(args[0]))
      case 'pop': {
        const key = dictKey(args[0])
        if (!dict.has(key)) throw new KeyMissingError(`no key "${key}" in the dict`)
        const value = dict.get(key)
        dict.delete(key)
        return value
      }
      case 'update': {
        const entries = args[0]
        if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) throw new InvalidArgumentError('update() needs an object')
        for (const [key, value] of Object.entries(entries)) dict.set(key, value)
        return undefined
      }
      case 'keys':
        return [...dict.keys()]
      case 'length':
        return dict.size
      case 'snapshot':
        return Object.fromEntries(dict)
      default:
        return unsupported(`dict.${operation}`)
    }
  }
}

function unsupported(method: string): never {
  throw new UnsupportedOperationError(`a manager has no method "${method}"`)
}

/** Python's indexing: negative counts from the end; anything else out of range is an error. */
function listIndex(list: unknown[], index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new InvalidArgumentError('index must be an integer')
  const resolved = index < 0 ? index + list.length : index
  if (resolved < 0 || resolved >= list.length) throw new IndexOutOfRangeError(`list index ${index} out of range (length ${list.length})`)
  return resolved
}

function dictKey(key: unknown): string {
  if (typeof key !== 'string') throw new InvalidArgumentError('dict keys must be strings')
  return key
}
