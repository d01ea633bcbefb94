import type { ContractErrorPayload } from '../../shared/contract'

/** The error codes a request may fail with, as the renderer receives them. */
export type RequestErrorCode = ContractErrorPayload['code']

const requestErrorCodes: ReadonlySet<string> = new Set<RequestErrorCode>([
  'invalid-payload',
  'unknown-channel',
  'forbidden',
  'not-found',
  'failed'
])

/**
 * A refusal a service means the renderer to see as-is: `throw new RequestError('not-found', 'no
 * run r-12')` reaches the caller with that code. Any other error reaches it as `failed`.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError'
  constructor(
    readonly code: RequestErrorCode,
    message: string,
    readonly issues?: ContractErrorPayload['issues']
  ) {
    super(message)
  }
}

/** Whether `code` is one the contract lets cross to the renderer. */
export function isRequestErrorCode(code: unknown): code is RequestErrorCode {
  return typeof code === 'string' && requestErrorCodes.has(code)
}

/**
 * Turns anything a handler threw into the payload the renderer receives. Errors carrying a contract
 * code (ours, or any typed error whose `code` happens to be one) keep it; everything else becomes
 * `failed` with its message. Node's own codes (`ENOENT`, …) are deliberately not passed through:
 * they are not part of the contract.
 */
export function toErrorPayload(thrown: unknown): ContractErrorPayload {
  try {
    if (thrown instanceof Error) {
      const code = (thrown as { code?: unknown }).code
      const message = thrown.message || thrown.name
      if (isRequestErrorCode(code)) {
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
