import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { lookupStaticFile, mimeTypeFor } from '../../../main/server/static-files'
import { createRendererFixture } from './server-helpers'

let fixture: Awaited<ReturnType<typeof createRendererFixture>>

beforeAll(async () => {
  fixture = await createRendererFixture()
})
afterAll(() => fixture.remove())

describe('mimeTypeFor', () => {
  it('names the types a Vite build produces', () => {
    expect(mimeTypeFor('index.html')).toBe('text/html; charset=utf-8')
    expect(mimeTypeFor('a/b/app-1234.js')).toBe('text/javascript; charset=utf-8')
    expect(mimeTypeFor('style.CSS')).toBe('text/css; charset=utf-8')
    expect(mimeTypeFor('logo.svg')).toBe('image/svg+xml')
    expect(mimeTypeFor('font.woff2')).toBe('font/woff2')
  })

  it('sends unknown kinds as opaque bytes', () => {
    expect(mimeTypeFor('notes.xyz')).toBe('application/octet-stream')
    expect(mimeTypeFor('README')).toBe('application/octet-stream')
  })
})

describe('lookupStaticFile', () => {
  it('maps / to index.html', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/')).toMatchObject({ kind: 'file', path: join(fixture.rendererDir, 'index.html') })
  })

  it('finds a nested file, decoding percent-escapes', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/assets/app%2Ejs')).toMatchObject({ kind: 'file', size: 17 })
  })

  it('refuses parent segments, raw or encoded, with either slash', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%5c..%5csecret.txt', '/a/../../secret.txt']) {
      expect(await lookupStaticFile(fixture.rendererDir, path), path).toEqual({ kind: 'refused', status: 403 })
    }
  })

  it('refuses a link that leads out of the folder', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/assets/leak.txt')).toEqual({ kind: 'refused', status: 403 })
  })

  it('does not serve hidden files', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/.env')).toEqual({ kind: 'refused', status: 404 })
  })

  it('refuses NUL bytes and broken escapes as bad requests', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/index.html%00.js')).toEqual({ kind: 'refused', status: 400 })
    expect(await lookupStaticFile(fixture.rendererDir, '/%E0%A4%A')).toEqual({ kind: 'refused', status: 400 })
  })

  it('answers a folder or a missing file with 404', async () => {
    expect(await lookupStaticFile(fixture.rendererDir, '/assets')).toEqual({ kind: 'refused', status: 404 })
    expect(await lookupStaticFile(fixture.rendererDir, '/missing.js')).toEqual({ kind: 'refused', status: 404 })
  })

  it('answers 404 for everything when the renderer was never built', async () => {
    expect(await lookupStaticFile(join(fixture.root, 'no-such-dir'), '/')).toEqual({ kind: 'refused', status: 404 })
  })
})
