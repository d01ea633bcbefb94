/**
 * Ctrl-C for commands that stop cleanly (`run`, `bench`). A terminal sends one SIGINT per press to
 * the whole foreground process group, and users press it again and again while a run winds down.
 * With a listener removed when the command's work ends (or a `once` listener), the next press hits
 * Node's default action: the CLI dies by SIGINT half-way through its summary, with no exit code.
 * So the listener stays installed: the first signal stops the command, later ones are swallowed
 * while it stops and prints, and only once the command has released it does a signal exit at once.
 * Signal listeners do not keep the event loop alive, so leaving one installed never delays the exit.
 */

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Exit status of a process stopped by Ctrl-C, as shells report it (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130

type Phase = { kind: 'running'; stop: (signal: NodeJS.Signals) => void } | { kind: 'stopping' } | { kind: 'released' }

let phase: Phase = { kind: 'released' }
let isInstalled = false

function onSignal(signal: NodeJS.Signals): void {
  if (phase.kind === 'running') {
    const { stop } = phase
    phase = { kind: 'stopping' }
    stop(signal)
  } else if (phase.kind === 'released') {
    process.exit(INTERRUPTED_EXIT_CODE)
  }
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM until the returned `release` is called; call it once
 * everything the command prints has been written.
 */
export function stopOnInterrupt(stop: (signal: NodeJS.Signals) => void): () => void {
  if (!isInstalled) {
    isInstalled = true
    for (const signal of SIGNALS) process.on(signal, onSignal)
  }
  phase = { kind: 'running', stop }
  return () => {
    phase = { kind: 'released' }
  }
}
