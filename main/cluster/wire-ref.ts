/**
 * Which function refs a worker host runs: only `builtin:<name>` and exports of the modules
 * registered with the engine in this process (the catalog's tasks). A ref comes off the wire —
 * from anyone who can reach Redis — so it is looked up in that registry, never loaded as a path.
 */
import { resolveRegisteredFn } from '../pool/fn-resolver'
import { JobDataError, WIRE_REF } from './job-data'

/**
 * Refs found good, checked once each: there are only as many as registered functions. Refused ones
 * are not kept, or anyone who can add jobs could grow this map without end, one bad ref at a time.
 */
const checked = new Map<string, Promise<void>>()

/** Resolves if `ref` names a registered function; rejects with {@link JobDataError} saying why not. */
export function checkWireRef(ref: string): Promise<void> {
  let check = checked.get(ref)
  if (!check) {
    check = lookUp(ref)
    checked.set(ref, check)
    check.catch(() => checked.delete(ref))
  }
  return check
}

/** How many refs are remembered as checked (for tests). */
export function checkedRefCount(): number {
  return checked.size
}

async function lookUp(ref: string): Promise<void> {
  if (!WIRE_REF.test(ref)) throw new JobDataError(`bad job data: fn must be a function reference "<task-id>:<export>", got ${JSON.stringify(ref)}`)
  try {
    await resolveRegisteredFn(ref)
  } catch (error) {
    throw new JobDataError(`bad job data: fn ${error instanceof Error ? error.message : String(error)} on this worker host`)
  }
}
