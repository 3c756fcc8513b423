/**
 * How long the box waits for the broker to say whether it keeps a message (MQTT 3.1.1) while the
 * broker sends nothing at all, before it drops the message (ms). While bytes keep coming (a large
 * kept message ahead of the answer, read and dropped, on a busy box) it waits on, up to `KEPT_CHECK_MAX_MS`.
 */
export const KEPT_CHECK_MS = 5_000;
const KEPT_CHECK_MAX_MS = 300_000;

/**
 * What a retain check does now, `started` and the broker last heard at `heardAt` (monotonic ms):
 * wait so many more ms, or give up with the reason. It waits while the broker keeps sending, up to
 * `KEPT_CHECK_MAX_MS` in all, and gives up after `KEPT_CHECK_MS` of silence.
 */
export function keptCheckWait(at: { now: number; started: number; heardAt: number }): number | string {
  const silentMs = at.now - Math.max(at.heardAt, at.started);
  if (at.now - at.started >= KEPT_CHECK_MAX_MS) return `no answer from the broker within ${KEPT_CHECK_MAX_MS} ms`;
  if (silentMs >= KEPT_CHECK_MS) return `no answer from the broker within ${KEPT_CHECK_MS} ms`;
  return KEPT_CHECK_MS - silentMs;
}
