/**
 * The Electron binary, found the way the electron package finds it (its `path.txt` under `dist/`,
 * or under ELECTRON_OVERRIDE_DIST_PATH) without its download-on-require, which fails here.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const root = resolve(__dirname, '../..')

export function electronBinary(): { path: string } | { reason: string } {
  let packageDir: string
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron package is not installed' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const fallback = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron'
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : fallback
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  const path = override ? join(override, executable) : join(packageDir, 'dist', executable)
  return existsSync(path) ? { path } : { reason: `no Electron binary at ${path}` }
}
