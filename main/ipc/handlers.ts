/**
 * How a request channel is answered. Each feature exports the handlers of its own channels as an
 * object keyed by the contract's channel names (`{ 'run:start': …, 'run:stop': … } satisfies
 * Partial<Handlers>`), the app spreads them into one `Handlers` map (`main/app.ts`), and the
 * gatekeeper dispatches to it. The types come from the contract, so a handler for a channel that
 * does not exist, one that takes the wrong arguments or returns the wrong result, and a channel
 * nobody answers are all compile errors.
 */
import type { RequestChannel, RequestResult, ValidatedArgs } from '../../shared/contract'

/** Who is asking: `electron:<webContents id>` or `ws:<connection number>`. */
export interface RequestContext {
  senderId: string
}

/**
 * Answers one channel: its arguments already validated by the gatekeeper (defaults filled in), its
 * result as the contract declares it. It may throw an error whose `code` is a contract code (see
 * `ContractErrorCode`) to refuse with that code; anything else reaches the caller as `failed`.
 */
export type Handler<C extends RequestChannel> = (
  args: ValidatedArgs<C>,
  ctx: RequestContext
) => RequestResult<C> | Promise<RequestResult<C>>

/** One handler per request channel, the complete map the gatekeeper dispatches to. */
export type Handlers = { [C in RequestChannel]: Handler<C> }
