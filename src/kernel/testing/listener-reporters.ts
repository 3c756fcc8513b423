/**
 * The reporter a test's bus is made with when no listener is meant to fail: a failing listener
 * fails the test. A throw reaches whoever emitted, and an async listener's rejection becomes an
 * unhandled rejection, which fails the run; the error names the event and the owner, with the
 * listener's own error as its cause. A test that checks a failure records it with its own reporter.
 */
export function throwingReporter(err: unknown, event: PropertyKey, owner: string): never {
  throw new Error(`a listener of ${String(event)} (${owner}) failed`, { cause: err });
}
