/**
 * The cluster's clocks, in one place because they depend on each other.
 *
 * BullMQ's defaults (30 s lock, 30 s stalled check) would leave a killed host's jobs stuck for up
 * to a minute. A host's event loop never runs task code (its slots are child processes), so it
 * renews its locks on time even under load, and a short lock is safe: a dead host's jobs are
 * back in the queue within LOCK_DURATION_MS + 2 × STALLED_INTERVAL_MS (the stalled check marks a
 * job on one pass and moves it on the next).
 */

/** How long a job's lock lasts without renewal; the host renews it every half of this. */
export const LOCK_DURATION_MS = 3_000
/** How often each host looks for jobs whose lock has expired. */
export const STALLED_INTERVAL_MS = 1_000
/**
 * How often a job may come back from a dead host before it fails. More than BullMQ's 1: on a busy
 * machine a slow renewal can count as a stall, and that must not fail a healthy job.
 */
export const MAX_STALLED_COUNT = 3

/** A host publishes its record this often… */
export const HOST_RECORD_EVERY_MS = 1_000
/** …and the record expires this long after the last one, so a killed host vanishes within seconds. */
export const HOST_RECORD_TTL_MS = 3_000

/** A run's heartbeat is renewed this often by its pool's process… */
export const RUN_ALIVE_EVERY_MS = 1_000
/** …and expires this long after the last renewal: hosts then sweep the run's keys. */
export const RUN_ALIVE_TTL_MS = 5_000

/** The pool side gives up on a Redis it cannot reach (or has lost) after this long. */
export const GIVE_UP_AFTER_MS = 3_000
/** One connection attempt may take this long (a host that drops packets never refuses). */
export const CONNECT_TIMEOUT_MS = 2_000
/** A worker host retries forever, waiting longer each time, up to this. */
export const HOST_RETRY_MAX_MS = 5_000
