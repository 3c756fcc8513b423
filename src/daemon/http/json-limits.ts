/**
 * Limits every JSON text a client sends (WebSocket messages, HTTP bodies) must keep before it is
 * parsed: `JSON.parse` copes with deep nesting, but what comes after it (schema checks,
 * `JSON.stringify` of a refusal, the handlers) recurses once per level and runs out of stack a few
 * thousand levels down. The check is one pass over the text, without recursion.
 */
export interface JsonLimits {
  /** The deepest nesting of objects and arrays accepted (levels; `{}` is 1). */
  maxDepth: number;
  /** The longest text accepted (bytes of UTF-8). */
  maxBytes: number;
}

/** The deepest nesting any message or body of Moodbox needs is 4; this leaves room and no more. */
export const MAX_JSON_DEPTH = 32;

/** What is wrong with a JSON text, before it is parsed. */
export type JsonLimitProblem = { kind: 'size'; message: string } | { kind: 'depth'; message: string };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Checks `text` (a string, or its UTF-8 bytes) against `limits` without parsing it; undefined when
 * it keeps them. Brackets inside strings do not count. The text need not be valid JSON: what is
 * not is refused by the parser afterwards.
 */
export function jsonLimitProblem(text: string | Buffer, limits: JsonLimits): JsonLimitProblem | undefined {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (bytes > limits.maxBytes) {
    return { kind: 'size', message: `Expected JSON of at most ${limits.maxBytes} bytes, got ${bytes}` };
  }
  let depth = 0;
  let isInString = false;
  const length = text.length;
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i] ?? 0;
  for (let i = 0; i < length; i++) {
    const c = at(i);
    if (isInString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) isInString = false;
    } else if (c === QUOTE) {
      isInString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > limits.maxDepth) {
        return { kind: 'depth', message: `Expected JSON nested at most ${limits.maxDepth} levels deep, got deeper` };
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return undefined;
}
