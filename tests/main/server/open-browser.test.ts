import { describe, expect, it } from 'vitest'
import { openerCommand } from '../../../main/server/open-browser'

describe('openerCommand', () => {
  const url = 'http://127.0.0.1:8123/?token=abc'

  it('uses each platform’s own opener, passing the URL as one argument', () => {
    expect(openerCommand(url, 'darwin')).toEqual(['open', url])
    expect(openerCommand(url, 'linux')).toEqual(['xdg-open', url])
    expect(openerCommand(url, 'win32')).toEqual(['cmd', '/c', 'start', '""', url])
  })
})
