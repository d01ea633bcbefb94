import { describe, expect, it } from 'vitest'
import { isTrustedSender, rendererUrlMatcher } from '../../../main/ipc/trusted-sender'

const page = 'file:///opt/poolscope/out/renderer/index.html'
const mainFrame = { processId: 4, routingId: 1, url: page }
const isOurs = rendererUrlMatcher(page)

describe('isTrustedSender', () => {
  it('trusts our window’s main frame showing our page, even as a distinct object', () => {
    expect(isTrustedSender({ ...mainFrame }, mainFrame, isOurs)).toBe(true)
  })

  it('refuses a subframe of the same process', () => {
    expect(isTrustedSender({ ...mainFrame, routingId: 2 }, mainFrame, isOurs)).toBe(false)
  })

  it('refuses a frame of another renderer process', () => {
    expect(isTrustedSender({ ...mainFrame, processId: 5 }, mainFrame, isOurs)).toBe(false)
  })

  it('refuses our main frame once it shows another page', () => {
    expect(isTrustedSender({ ...mainFrame, url: 'https://evil.example/' }, { ...mainFrame, url: 'https://evil.example/' }, isOurs)).toBe(false)
  })

  it('refuses a sender frame that is gone, and any sender while we have no window', () => {
    expect(isTrustedSender(null, mainFrame, isOurs)).toBe(false)
    expect(isTrustedSender(mainFrame, undefined, isOurs)).toBe(false)
  })
})

describe('rendererUrlMatcher', () => {
  it('matches the built page with any hash or query, and no other file', () => {
    expect(isOurs(`${page}#/runs`)).toBe(true)
    expect(isOurs(`${page}?tab=bench`)).toBe(true)
    expect(isOurs('file:///opt/poolscope/out/renderer/other.html')).toBe(false)
    expect(isOurs('file:///etc/passwd')).toBe(false)
  })

  it('matches a dev server by origin', () => {
    const isDev = rendererUrlMatcher('http://localhost:5173/')
    expect(isDev('http://localhost:5173/some/route')).toBe(true)
    expect(isDev('http://localhost:5174/')).toBe(false)
    expect(isDev('http://evil.example:5173/')).toBe(false)
  })

  it('refuses what is not a URL', () => {
    expect(isOurs('')).toBe(false)
    expect(isOurs('not a url')).toBe(false)
  })
})
