import secureJson from 'secure-json-parse';

/**
 * The one door for JSON that comes from outside the process: the database's settings and rows, a
 * restored backup, MQTT payloads, WebSocket messages, mpv's replies, files on disk and the
 * configuration file. Parsed with `secure-json-parse` (the parser Fastify itself uses for bodies):
 * a text with an own `__proto__` key, or a `constructor` holding a `prototype`, is refused rather
 * than parsed, so no value read from outside can reach an object's prototype. A merge of such
 * values still builds objects with no inherited keys (`mergeDeep`), but nothing that was parsed
 * here carries one to begin with.
 */

/** Thrown for a text that is not JSON, or JSON with a key that reaches a prototype. */
export class JsonTextError extends SyntaxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JsonTextError';
  }
}

/**
 * Parses `text` (a string or its UTF-8 bytes) as JSON. Throws `JsonTextError` for text that is not
 * JSON, and for JSON with an own `__proto__` key or a `constructor.prototype`, wherever they nest.
 */
export function parseJson(text: string | Buffer): unknown {
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    // secure-json-parse says "Object contains forbidden prototype property" for either.
    throw new JsonTextError(/forbidden prototype/i.test(message) ? `JSON with a key that reaches a prototype (${message})` : message, {
      cause: err,
    });
  }
}

/** Like `parseJson`, but undefined for anything it would refuse: for values a reader may drop (a cache, a hint). */
export function parseJsonOrUndefined(text: string | Buffer): unknown {
  try {
    return parseJson(text);
  } catch {
    return undefined;
  }
}

/** The keys no object built from outside values may carry: they reach a prototype when assigned. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
