import { parseJson } from '../kernel/json.js';
/**
 * mpv's JSON IPC, as pure functions: commands out, messages in. One JSON object per line.
 * See mpv's manual, "JSON IPC". Nothing here touches a socket.
 */

export type MpvArg = string | number | boolean;

/** Why mpv stopped a file (`end-file`'s `reason`). A failed `loadfile` arrives as `error`. */
export type EndFileReason = 'eof' | 'stop' | 'quit' | 'error' | 'redirect' | 'unknown';

export type MpvMessage =
  | { type: 'reply'; requestId: number; error: string; data: unknown }
  | { type: 'start-file'; entryId: number | undefined }
  | {
      type: 'end-file';
      entryId: number | undefined;
      reason: EndFileReason;
      fileError: string | undefined;
      /** For `redirect` (a playlist opened): the id of the first entry put in its place, and how many. */
      insertId?: number | undefined;
      insertCount?: number | undefined;
    }
  | { type: 'file-loaded' }
  | { type: 'idle' }
  | { type: 'property-change'; id: number; name: string; data: unknown }
  | { type: 'event'; event: string }
  | { type: 'invalid'; line: string };

/**
 * A command: its name and arguments in order, or by name (`{name: 'loadfile', url, flags, options}`),
 * for commands whose positional arguments differ between mpv versions (`loadfile` took an index in 0.38).
 */
export type MpvCommand = readonly MpvArg[] | { readonly name: string; readonly [arg: string]: MpvArg };

/** One command line: `{"command": [...], "request_id": N}\n`. */
export function encodeCommand(requestId: number, command: MpvCommand): string {
  if (!Number.isInteger(requestId) || requestId < 0)
    throw new RangeError(`Expected \`requestId\` to be an integer ≥ 0, got \`${requestId}\` (number)`);
  if ('length' in command ? command.length === 0 : command.name === '')
    throw new TypeError('Expected a command name, got an empty command');
  return `${JSON.stringify({ command, request_id: requestId })}\n`;
}

const END_REASONS: readonly EndFileReason[] = ['eof', 'stop', 'quit', 'error', 'redirect'];

/** Parses one line from mpv. Never throws: a line it cannot read comes back as `invalid`. */
export function decodeMessage(line: string): MpvMessage {
  let value: unknown;
  try {
    value = parseJson(line);
  } catch {
    return { type: 'invalid', line };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { type: 'invalid', line };
  const msg = value as Record<string, unknown>;
  if (typeof msg['event'] !== 'string') {
    // Replies carry `error` ("success" or a reason) and, for most commands, `data`.
    if (typeof msg['request_id'] === 'number' && typeof msg['error'] === 'string') {
      return { type: 'reply', requestId: msg['request_id'], error: msg['error'], data: msg['data'] };
    }
    return { type: 'invalid', line };
  }
  const entryId = typeof msg['playlist_entry_id'] === 'number' ? msg['playlist_entry_id'] : undefined;
  switch (msg['event']) {
    case 'start-file':
      return { type: 'start-file', entryId };
    case 'end-file': {
      const reason = END_REASONS.find((r) => r === msg['reason']) ?? 'unknown';
      const fileError = typeof msg['file_error'] === 'string' ? msg['file_error'] : undefined;
      const insertId = typeof msg['playlist_insert_id'] === 'number' ? msg['playlist_insert_id'] : undefined;
      const insertCount = typeof msg['playlist_insert_num_entries'] === 'number' ? msg['playlist_insert_num_entries'] : undefined;
      return { type: 'end-file', entryId, reason, fileError, insertId, insertCount };
    }
    case 'file-loaded':
      return { type: 'file-loaded' };
    case 'idle':
      return { type: 'idle' };
    case 'property-change':
      return { type: 'property-change', id: typeof msg['id'] === 'number' ? msg['id'] : 0, name: String(msg['name']), data: msg['data'] };
    default:
      return { type: 'event', event: msg['event'] };
  }
}

/** Splits a byte stream from mpv into messages; keeps a partial last line for the next chunk. */
export class MpvLineDecoder {
  #rest = '';

  /** Feeds a chunk; returns every complete message in it, in order. */
  push(chunk: string): MpvMessage[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '').map(decodeMessage);
  }
}
