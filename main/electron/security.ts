/**
 * Application-wide lockdown, applied before any window exists: no web contents may open windows,
 * navigate away, or attach a `<webview>`; no page gets permissions (camera, notifications, …);
 * every response carries our Content-Security-Policy.
 */
import { app, type Session } from 'electron'
import { contentSecurityPolicy } from '../server/csp'

/** Denies `window.open` and blocks navigation and webviews in every web contents ever created. */
export function setupNavigationLockdown(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    // The renderer is a single page: any navigation is a link or an injected redirect.
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}

/**
 * Denies every permission request and check, and sends our CSP with every response.
 *
 * Chromium may not run `webRequest` hooks for `file://` pages in every version, so the renderer's
 * `index.html` should carry the same policy in a `<meta http-equiv>` tag as well.
 */
export function setupSessionSecurity(session: Session, options: { rendererUrl: string }): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  const isDevServer = !options.rendererUrl.startsWith('file:')
  const csp = contentSecurityPolicy(
    isDevServer
      ? {
          // Vite's dev server: hot-reload socket and injected <style> tags.
          connectSources: [new URL(options.rendererUrl).origin.replace(/^http/, 'ws')],
          allowInlineStyles: true
        }
      : {}
  )
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    // Replace, not add: a second policy from elsewhere would only be intersected with ours.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name]
    headers['Content-Security-Policy'] = [csp]
    callback({ responseHeaders: headers })
  })
}
