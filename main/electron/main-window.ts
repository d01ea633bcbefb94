/**
 * The one PoolScope window, hardened: isolated, sandboxed preload, no Node in the page, web
 * security on. It is created on demand (again after macOS re-activation) and loads the renderer.
 */
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow } from 'electron'

/** Where the window's preload and page come from. */
export interface MainWindowOptions {
  /** The built preload script (`out/preload/index.js`). */
  preloadPath: string
  /** What the window shows: the built `index.html` as a file URL, or the dev server. */
  rendererUrl: string
}

/**
 * The renderer to load: Vite's dev server when electron-vite runs us in development (it sets
 * `ELECTRON_RENDERER_URL`), otherwise the built `index.html`. A packaged app ignores the variable,
 * so no environment can point the installed app at another site.
 */
export function resolveRendererUrl(options: { devServerUrl: string | undefined; isPackaged: boolean; indexHtmlPath: string }): string {
  if (!options.isPackaged && options.devServerUrl) return options.devServerUrl
  return pathToFileURL(options.indexHtmlPath).href
}

/** Creates the window and starts loading the renderer; shown once it has painted. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    title: 'PoolScope',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise try to open links in a new window (denied anyway, but the
      // attempt need not happen at all).
      disableBlinkFeatures: 'Auxclick'
    }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.rendererUrl).catch((error: unknown) => {
    process.stderr.write(`poolscope: the window could not load ${options.rendererUrl}: ${String(error)}\n`)
  })
  return window
}

/**
 * Keeps one main window: created now, recreated when the app is re-activated with none open
 * (macOS), focused when a second instance is started. Returns the current one.
 */
export function setupMainWindow(options: MainWindowOptions): { current(): BrowserWindow | undefined } {
  let window: BrowserWindow | undefined
  const open = () => {
    window = createMainWindow(options)
    window.on('closed', () => {
      window = undefined
    })
  }
  open()
  app.on('activate', () => {
    if (window === undefined) open()
  })
  app.on('second-instance', () => {
    if (window === undefined) return open()
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  return { current: () => window }
}
