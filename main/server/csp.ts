/**
 * The Content-Security-Policy both shells send with the renderer. Everything is denied by default;
 * scripts, styles, images and fonts may come only from our own origin, so an injected
 * `<script>` or inline handler cannot run. Shared by browser mode's HTTP server and the Electron
 * shell so the two cannot drift apart.
 */

export interface CspOptions {
  /**
   * Extra `connect-src` sources: browser mode adds its exact WebSocket origin
   * (`ws://127.0.0.1:PORT`), because older engines do not count `ws:` as `'self'`.
   */
  connectSources?: readonly string[]
  /** Vite's dev server injects `<style>` tags for hot reload; production builds never need this. */
  allowInlineStyles?: boolean
}

/** The policy as one header value. */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSources ?? [])]
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self'${options.allowInlineStyles ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}
