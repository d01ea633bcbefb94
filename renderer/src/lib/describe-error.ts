import type { ContractErrorPayload } from '../../../shared/contract'

/** A failed request, ready to show: a sentence, and per-field issues when the server sent them. */
export interface DescribedError {
  code: ContractErrorPayload['code'] | 'network' | 'unknown'
  message: string
  issues: { path: string; message: string }[]
}

const LEADS: Record<ContractErrorPayload['code'], string> = {
  'invalid-payload': 'Some values were refused',
  'unknown-channel': 'The app does not know this request (renderer and main are out of step)',
  forbidden: 'Not allowed here',
  'not-found': 'Not found',
  failed: 'It failed'
}

/**
 * Describes anything a request can reject with. `ContractError` is matched by shape, not with
 * `instanceof`: in Electron the error is re-created across the context bridge, in another realm.
 */
export function describeError(error: unknown): DescribedError {
  const payload = (error as { payload?: Partial<ContractErrorPayload> } | null)?.payload
  if (payload && typeof payload.code === 'string' && payload.code in LEADS && typeof payload.message === 'string') {
    const code = payload.code as ContractErrorPayload['code']
    const issues = Array.isArray(payload.issues) ? payload.issues : []
    const message = code === 'failed' || code === 'not-found' || issues.length === 0 ? payload.message || LEADS[code] : LEADS[code]
    return { code, message, issues }
  }
  if (error instanceof Error) {
    const isNetwork = /websocket|network|connection|closed|disconnected/i.test(error.message)
    return { code: isNetwork ? 'network' : 'unknown', message: error.message || error.name, issues: [] }
  }
  return { code: 'unknown', message: typeof error === 'string' ? error : 'Something went wrong', issues: [] }
}
