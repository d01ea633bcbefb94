/** Opens a URL in the user's default browser, best effort: failing to open is never fatal. */
import { spawn } from 'node:child_process'

/** The platform's opener, as argv. `start` is a cmd built-in; its first quoted argument is a title. */
export function openerCommand(url: string, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['open', url]
  if (platform === 'win32') return ['cmd', '/c', 'start', '""', url]
  return ['xdg-open', url]
}

/** Starts the opener detached; `onFailure` hears why it could not. */
export function openInBrowser(url: string, onFailure: (message: string) => void): void {
  const [command, ...args] = openerCommand(url)
  try {
    const child = spawn(command!, args, { detached: true, stdio: 'ignore', windowsHide: true })
    child.on('error', (error) => onFailure(`could not open a browser (${error.message}); open the URL yourself`))
    child.unref()
  } catch (error) {
    onFailure(`could not open a browser (${String(error)}); open the URL yourself`)
  }
}
