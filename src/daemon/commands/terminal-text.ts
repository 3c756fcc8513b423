/** What JSON.stringify leaves as it is and a terminal acts on: DEL, the C1 controls (U+009B is CSI) and direction overrides and isolates. */
const TERMINAL_ACTS_ON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `value` as JSON for a terminal: the same data, with every character a terminal would act on
 * written as a `\uXXXX` escape (JSON.stringify already escapes the C0 controls, ESC among them).
 */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    TERMINAL_ACTS_ON,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
