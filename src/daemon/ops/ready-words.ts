/**
 * What a start tells the person at the terminal once Moodbox serves: where its screens are, how to
 * sign in, and the first-run code while the box has no admin. Plain words, beside the log (which
 * stays pino's JSON under systemd and wherever stdout is not a terminal).
 */

/** What the words say. */
export interface ReadyNews {
  version: string;
  demo: boolean;
  /** The box as this machine opens it, without a trailing slash: `http://127.0.0.1:8080`. */
  base: string;
  /** The box as other devices on the LAN reach it (`http://192.168.1.20:8080`), or null when it listens on this machine only. */
  lanBase: string | null;
  /** The guest page as phones in the room reach it, or null while guests may not ask or cannot reach it. */
  guestUrl: string | null;
  /** The demo admin's line (`ensureDemoAdmin`), or empty. */
  demoAdmin: string;
  /** The first-run code (`ABCD-EFGH`) while the box has no admin, or undefined. */
  firstRunCode: string | undefined;
}

/** The words, one address a line. */
export function readyWords(news: ReadyNews): string {
  const lan = news.lanBase === null || news.lanBase === news.base ? '' : ` (from another device: ${news.lanBase}/admin)`;
  const lines = [
    `Moodbox ${news.version} is running${news.demo ? ' in demo mode' : ''}.`,
    `  Kiosk:       ${news.base}/`,
    `  Admin panel: ${news.base}/admin${lan}`,
    ...(news.guestUrl === null ? [] : [`  Guest page:  ${news.guestUrl}`]),
    ...(news.demoAdmin === '' ? [] : [news.demoAdmin.replace(/\n$/, '')]),
    ...(news.firstRunCode === undefined
      ? []
      : [
          `  No admin yet: open the admin panel to create the first one. On this box no code is needed;`,
          `  from another device, type the first-run code ${news.firstRunCode}.`,
        ]),
    `  Stop:        Ctrl+C`,
  ];
  return `\n${lines.join('\n')}\n\n`;
}

/** A stream the words may go to: a terminal says so (`isTTY`). */
export interface TerminalStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Writes `words` where a person reads them: stdout when it is a terminal; else stderr when that is a
 * terminal (stdout is a log being piped away) or in demo mode (always told, as it always was);
 * else nowhere: under systemd the log says it all, as JSON.
 */
export function tellTerminal(words: string, streams: { stdout: TerminalStream; stderr: TerminalStream; demo: boolean }): void {
  if (streams.stdout.isTTY === true) streams.stdout.write(words);
  else if (streams.stderr.isTTY === true || streams.demo) streams.stderr.write(words);
}
