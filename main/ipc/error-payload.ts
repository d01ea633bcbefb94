/**
 * Turns whatever a handler threw into the refusal payload the caller receives. Domain errors carry
 * their contract code themselves (`BenchNotFoundError` is `not-found`, `TaskParamsError` is
 * `invalid-payload` with its issues, `UnknownLaunchError` is `not-found`), so no layer in between
 * translates one error into another.
 */
import { contractErrorCodes, type ContractErrorCode, type ContractErrorPayload } from '../../shared/contract'

const codes: ReadonlySet<string> = new Set(contractErrorCodes)

/** Whether `code` is one the contract lets cross to the renderer. */
export function isContractErrorCode(code: unknown): code is ContractErrorCode {
  return typeof code === 'string' && codes.has(code)
}

/**
 * The payload for a thrown value: an error whose `code` is a contract code keeps it (and its
 * `issues`, when it has a list of them); everything else becomes `failed` with its message. Node's
 * own codes (`ENOENT`, …) are deliberately not passed through: they are not part of the contract.
 */
export function toErrorPayload(thrown: unknown): ContractErrorPayload {
  try {
    if (thrown instanceof Error) {
      const code = (thrown as { code?: unknown }).code
      const message = thrown.message || thrown.name
      if (isContractErrorCode(code)) {
        const issues = (thrown as { issues?: unknown }).issues
        return Array.isArray(issues) ? { code, message, issues: issues as ContractErrorPayload['issues'] } : { code, message }
      }
      return { code: 'failed', message }
    }
    return { code: 'failed', message: String(thrown) }
  } catch {
    // A hostile or broken error object (a throwing getter, a revoked proxy) must not escape the
    // gatekeeper either.
    return { code: 'failed', message: 'the request failed with an unreadable error' }
  }
}
