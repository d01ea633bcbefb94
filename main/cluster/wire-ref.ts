/**
 * Which function refs a worker host runs: only `builtin:<name>` and exports of registered catalog
 * task modules. A ref comes off the wire — from anyone who can reach Redis — so it is looked up
 * in the registry, never loaded as a path.
 */
import { builtins } from '../pool/fn-resolver'
import { taskModules } from '../../tasks/catalog'
import { JobDataError, WIRE_REF } from './job-data'

const checked = new Map<string, Promise<void>>()

/** Resolves if `ref` names a registered function; rejects with {@link JobDataError} saying why not. */
export function checkWireRef(ref: string): Promise<void> {
  let check = checked.get(ref)
  if (!check) {
    check = lookUp(ref)
    checked.set(ref, check)
  }
  return check
}

async function lookUp(ref: string): Promise<void> {
  if (!WIRE_REF.test(ref)) throw new JobDataError(`bad job data: fn must be a function reference "<task-id>:<export>", got ${JSON.stringify(ref)}`)
  const sep = ref.indexOf(':')
  const scope = ref.slice(0, sep)
  const name = ref.slice(sep + 1)
  if (scope === 'builtin') {
    if (!Object.hasOwn(builtins, name)) throw new JobDataError(`bad job data: fn "${ref}" is not a builtin function`)
    return
  }
  if (!Object.hasOwn(taskModules, scope)) throw new JobDataError(`bad job data: fn "${ref}" names no catalog task installed on this worker`)
  const module = await taskModules[scope]()
  if (typeof module[name] !== 'function') throw new JobDataError(`bad job data: fn "${ref}": task ${scope} exports no function ${name}`)
}
