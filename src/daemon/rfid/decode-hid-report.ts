/**
 * Decodes the reports of an RFID reader that types like a USB keyboard (HID boot protocol) into
 * card IDs. Pure: the caller passes each report and the time it arrived.
 *
 * A boot keyboard report is 8 bytes: modifiers, reserved, then up to six key usage codes held
 * down. A key counts once when it first appears (holding it repeats nothing); the card ID ends at
 * Enter. Keys that are not digits or letters, reports of the wrong size, and IDs left unfinished
 * for longer than `interKeyTimeoutMs` (a partial read) are dropped. The same card read again
 * within `debounceMs` is reported once.
 */
export interface HidCardDecoderOptions {
  /** Shortest accepted card ID (characters). @default 4 */
  minLength?: number;
  /** Longest accepted card ID (characters). @default 32 */
  maxLength?: number;
  /** A gap between two keys longer than this drops what was typed so far (ms). @default 500 */
  interKeyTimeoutMs?: number;
  /** The same card within this time after its last read is ignored (ms). @default 1500 */
  debounceMs?: number;
}

const ENTER = new Set([0x28, 0x58]);
const SHIFT = 0x02 | 0x20;

/** Maps a key usage code to the character it types, or undefined for keys a card ID never holds. */
export function usageToChar(usage: number, isShifted: boolean): string | undefined {
  if (usage >= 0x04 && usage <= 0x1d) {
    const letter = String.fromCharCode(0x61 + usage - 0x04);
    return isShifted ? letter.toUpperCase() : letter;
  }
  if (usage >= 0x1e && usage <= 0x27) return isShifted ? undefined : String((usage - 0x1d) % 10);
  if (usage >= 0x59 && usage <= 0x62) return String((usage - 0x58) % 10);
  return undefined;
}

export class HidCardDecoder {
  readonly #minLength: number;
  readonly #maxLength: number;
  readonly #interKeyTimeoutMs: number;
  readonly #debounceMs: number;
  #held = new Set<number>();
  #typed = '';
  #lastKeyAt = -Infinity;
  #lastCard: { id: string; at: number } | undefined;

  constructor(options: HidCardDecoderOptions = {}) {
    this.#minLength = options.minLength ?? 4;
    this.#maxLength = options.maxLength ?? 32;
    this.#interKeyTimeoutMs = options.interKeyTimeoutMs ?? 500;
    this.#debounceMs = options.debounceMs ?? 1500;
  }

  /**
   * Feeds one report received at `atMs` (ms, any monotonic origin). Returns the card ID when this
   * report completes one, else undefined.
   */
  push(report: Uint8Array, atMs: number): string | undefined {
    // Some readers prefix the boot report with a report ID of 1.
    const keys = report.length === 9 && report[0] === 0x01 ? report.subarray(1) : report;
    if (keys.length !== 8) return undefined;
    const modifiers = keys[0] ?? 0;
    const down = new Set<number>();
    for (const usage of keys.subarray(2)) if (usage > 0x03) down.add(usage);
    const pressed = [...down].filter((usage) => !this.#held.has(usage));
    this.#held = down;

    let card: string | undefined;
    for (const usage of pressed) {
      if (atMs - this.#lastKeyAt > this.#interKeyTimeoutMs) this.#typed = '';
      this.#lastKeyAt = atMs;
      if (ENTER.has(usage)) {
        card = this.#finish(atMs) ?? card;
        continue;
      }
      const char = usageToChar(usage, (modifiers & SHIFT) !== 0);
      if (char === undefined) continue;
      this.#typed = this.#typed.length < this.#maxLength ? this.#typed + char : '';
    }
    return card;
  }

  #finish(atMs: number): string | undefined {
    const id = this.#typed;
    this.#typed = '';
    if (id.length < this.#minLength) return undefined;
    const last = this.#lastCard;
    this.#lastCard = { id, at: atMs };
    if (last !== undefined && last.id === id && atMs - last.at < this.#debounceMs) return undefined;
    return id;
  }
}
