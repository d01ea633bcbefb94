/**
 * The gatekeeper every request passes through, whatever carried it (Electron IPC or browser mode's
 * WebSocket): it refuses unknown channels, validates arguments against the contract's schema,
 * lets a policy refuse what this app may not do (the app's is the launch permission), runs the
 * feature's handler, and turns every outcome, thrown errors included, into a reply. It never
 * throws: a bad request from an untrusted renderer costs that request, never the process. The app
 * builds one (`main/app.ts`); every transport calls that one.
 */
import {
  requests,
  type ContractErrorPayload,
  type RequestChannel,
  type ValidatedArgs
} from '../../shared/contract'
import type { Handlers, RequestContext } from './handlers'
import { describeIssues, describeValue, formatPath, summarizeIssues } from './payload-issues'
import { findPrototypeKey } from './prototype-keys'
import { toErrorPayload } from './error-payload'

/** What every request gets back, as main sends it over any transport. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: ContractErrorPayload }

/** A request after validation: the channel and its arguments with defaults filled in. */
export type ValidatedRequest = { [C in RequestChannel]: { channel: C; args: ValidatedArgs<C> } }[RequestChannel]

/** Refuses a validated request by returning the refusal; `undefined` lets it through. */
export type Authorize = (request: ValidatedRequest, ctx: RequestContext) => ContractErrorPayload | undefined

/** Answers one request from untrusted input; resolves with a reply, never rejects. */
export type Dispatch = (channel: unknown, rawArgs: unknown, ctx: RequestContext) => Promise<Reply>

/** Per-transport settings of the gatekeeper. */
export interface DispatcherOptions {
  /** A policy over validated requests: the app's is `launchPolicy` (`main/app.ts`). */
  authorize?: Authorize
}

/**
 * Whether `channel` names a request channel. `Object.hasOwn`, not `in`: `"constructor"` and
 * `"__proto__"` are not channels.
 */
export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && Object.hasOwn(requests, channel)
}

/** Builds the gatekeeper over a complete handler map. */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  return async (channel, rawArgs, ctx) => {
    try {
      if (!isRequestChannel(channel)) {
        return refuse('unknown-channel', `unknown request channel ${describeValue(channel)}`)
      }
      const schema = requests[channel].args
      // A missing argument object means "no arguments": JSON drops `args: undefined`, and every
      // channel without required fields should work when called bare.
      const parsed = schema.safeParse(rawArgs === undefined ? {} : rawArgs, { reportInput: true })
      if (!parsed.success) {
        const issues = describeIssues(schema, parsed.error.issues)
        return { ok: false, error: { code: 'invalid-payload', message: summarizeIssues(issues), issues } }
      }
      // Checked once the shape is right, so a wrong type is named as such; zod's records drop
      // these keys silently, which would let a field the caller sent vanish unrefused.
      const prototypeKey = findPrototypeKey(rawArgs)
      if (prototypeKey !== undefined) {
        const issues = [{ path: formatPath(prototypeKey), message: 'is not an accepted field' }]
        return { ok: false, error: { code: 'invalid-payload', message: summarizeIssues(issues), issues } }
      }
      const request = { channel, args: parsed.data } as ValidatedRequest
      const refusal = options.authorize?.(request, ctx)
      if (refusal !== undefined) return { ok: false, error: refusal }
      // The map is indexed by the channel we just validated; TS cannot correlate the two unions.
      const handler = handlers[channel] as (args: unknown, ctx: RequestContext) => unknown
      const value = await handler(parsed.data, ctx)
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorPayload(err) }
    }
  }
}

function refuse(code: ContractErrorPayload['code'], message: string): Reply {
  return { ok: false, error: { code, message } }
}
