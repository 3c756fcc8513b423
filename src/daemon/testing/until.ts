/**
 * The tests' one wait on a condition (never on a moment): polls `get` every `everyMs` until it
 * returns something other than `undefined`, and returns that. Throws `why()` once `timeoutMs` has
 * passed. `get` may throw to stop the wait at once (a process that died).
 */
export async function until<T>(
  get: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  why: () => string = () => `timed out after ${timeoutMs} ms`,
  everyMs = 50,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(why());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
