/**
 * Every Redis key and channel the cluster uses, in one place. All live under one prefix, so a
 * shared Redis keeps PoolScope's data apart, and a run's keys can be swept by one pattern.
 *
 *   poolscope:runs                  hash: run id → RunRecord (JSON) of every run in progress
 *   poolscope:alive:<run>           the run's heartbeat (expires when its pool's process is gone)
 *   poolscope:run-<run>:*           the run's own BullMQ queue (jobs, events, meta)
 *   poolscope:hosts:<name>          a worker host's record (JSON), refreshed every second, short TTL
 *   poolscope:gc:<run>              who is sweeping a dead run (a lock with a TTL)
 *   channel poolscope:runs          "a run began or ended": hosts look again at once
 *   channel poolscope:cancel        { run, jobIds }: hosts abort those jobs if they run them
 */

/** BullMQ's key prefix for the runs' queues, and the prefix of our own keys. */
export const PREFIX = 'poolscope'

export const RUNS_KEY = `${PREFIX}:runs`
export const RUNS_CHANNEL = `${PREFIX}:runs`
export const CANCEL_CHANNEL = `${PREFIX}:cancel`
export const HOSTS_PATTERN = `${PREFIX}:hosts:*`

export function queueName(runId: string): string {
  return `run-${runId}`
}

export function aliveKey(runId: string): string {
  return `${PREFIX}:alive:${runId}`
}

export function gcKey(runId: string): string {
  return `${PREFIX}:gc:${runId}`
}

export function hostKey(name: string): string {
  return `${PREFIX}:hosts:${name}`
}

/** Matches every key of one run's queue (BullMQ names them `<prefix>:<queue>:<what>`). */
export function queueKeyPattern(runId: string): string {
  return `${PREFIX}:${queueName(runId)}:*`
}
