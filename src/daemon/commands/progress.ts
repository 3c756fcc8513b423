/** Where a progress bar is drawn: stderr, as the CLI has it. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 24;

/**
 * A progress bar on `stream` (stderr): on a terminal one line redrawn in place
 * (`analysing [#########...............] 12/30, 1 failed`); elsewhere (a log, a pipe) a plain line
 * per tenth done, so a log is not flooded. `end()` finishes the line.
 */
export function progressBar(
  label: string,
  stream: ProgressStream = process.stderr,
): { update(done: number, total: number, note?: string): void; end(): void } {
  const isTty = stream.isTTY === true;
  let shownTenth = -1;
  let drawn = false;
  return {
    update(done, total, note = '') {
      const tail = `${done}/${total}${note === '' ? '' : `, ${note}`}`;
      if (isTty) {
        const filled = Math.round((WIDTH * done) / Math.max(total, 1));
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${tail}\u001b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((done * 10) / Math.max(total, 1));
      if (tenth !== shownTenth) stream.write(`${label}: ${tail}\n`);
      shownTenth = tenth;
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
