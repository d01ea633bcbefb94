/**
 * Whether an IPC message comes from our window's own page. Any other frame (an iframe, a page the
 * window was somehow navigated to, another window) is refused before its arguments are even read:
 * fiddle's rule that the gatekeeper drops messages from any sender that is not our window.
 *
 * Structural types, so this check is unit-tested without Electron.
 */

/** The parts of Electron's `WebFrameMain` the check reads. */
export interface FrameIdentity {
  readonly processId: number
  readonly routingId: number
  readonly url: string
}

/**
 * True when `senderFrame` is `mainFrame` (same renderer process, same frame; Electron may hand out
 * distinct objects for one frame, so identity is compared by ids, not `===`) and it still shows a
 * document we loaded. A `null` sender frame, which Electron reports once the frame navigated away or
 * was destroyed, is refused.
 */
export function isTrustedSender(
  senderFrame: FrameIdentity | null | undefined,
  mainFrame: FrameIdentity | null | undefined,
  isAllowedUrl: (url: string) => boolean
): boolean {
  if (senderFrame == null || mainFrame == null) return false
  if (senderFrame.processId !== mainFrame.processId || senderFrame.routingId !== mainFrame.routingId) return false
  return isAllowedUrl(senderFrame.url)
}

/**
 * Which page URLs count as ours, given the URL the window loads: for a `file:` renderer exactly
 * that file (any query or hash), for a dev server its origin.
 */
export function rendererUrlMatcher(rendererUrl: string): (url: string) => boolean {
  const expected = new URL(rendererUrl)
  return (url) => {
    let actual: URL
    try {
      actual = new URL(url)
    } catch {
      return false
    }
    if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.host === expected.host && actual.pathname === expected.pathname
    return actual.origin === expected.origin
  }
}
