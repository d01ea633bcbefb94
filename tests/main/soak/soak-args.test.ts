/** `npm run soak` flags: defaults, both modes, and errors that name the flag. */
import { describe, expect, it } from 'vitest'
import { parseSoakArgs } from '../../../main/soak/soak-args'

describe('parseSoakArgs', () => {
  it('runs the chaos soak by default, with a fresh seed', () => {
    const args = parseSoakArgs([])
    expect(args).toMatchObject({ mode: 'chaos', tasks: 2_000, seconds: undefined, workers: 2, killEveryMs: 100, canKillStarting: true, json: false })
    expect(args.mode === 'chaos' && Number.isInteger(args.seed)).toBe(true)
  })

  it('takes --tasks, --seconds, --seed, --json and --no-kill-starting', () => {
    expect(parseSoakArgs(['--tasks', '100000', '--seconds', '600', '--seed', '7', '--json'])).toMatchObject({ canKillStarting: true })
    expect(parseSoakArgs(['--tasks', '100000', '--seconds', '600', '--seed', '7', '--json', '--no-kill-starting'])).toMatchObject({
      mode: 'chaos',
      tasks: 100_000,
      seconds: 600,
      seed: 7,
      canKillStarting: false,
      json: true
    })
  })

  it('runs the server leak check with --server', () => {
    expect(parseSoakArgs(['--server', '--seconds', '600', '--every-ms', '500'])).toEqual({ mode: 'server', seconds: 600, everyMs: 500, json: false })
  })

  it.each([
    [['--tasks', '0'], /--tasks.*must be an integer ≥ 1/],
    [['--seed', '-1'], /--seed.*must be an integer from 0 to 4294967295/],
    [['--bogus'], /unknown option '--bogus'/]
  ])('refuses %j, naming the flag', (argv, message) => {
    expect(() => parseSoakArgs(argv)).toThrow(message)
  })

  it('answers --help with the usage', () => {
    const args = parseSoakArgs(['--help'])
    expect(args.mode).toBe('help')
    expect(args.mode === 'help' && args.text).toMatch(/--kill-every-ms/)
  })
})
