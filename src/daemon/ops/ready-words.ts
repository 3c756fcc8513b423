/**
 * What a start tells the person who started it once Moodbox serves: where its screens are, how to
 * sign in, the first-run code while the box has no admin, and how to stop it. Plain words, beside
 * the log (which stays pino's JSON under systemd and wherever stdout is not a terminal).
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
  /** How to stop it (`stopWords`). @default 'Ctrl+C' */
  stop?: string;
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
    `  Stop:        ${news.stop ?? 'Ctrl+C'}`,
  ];
  return `\n${lines.join('\n')}\n\n`;
}

/** A stream the words may go to: a terminal says so (`isTTY`). */
export interface TerminalStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Writes `words` where a person reads them: stdout when it is a terminal; else stderr, whatever it
 * is: the terminal while stdout is piped away as the log, the log file itself for a start such as
 * `moodbox start > moodbox.log 2>&1` or under nohup (a paragraph of words between its JSON lines),
 * and the journal under systemd. A log file or the journal is where such an owner looks for the
 * first-run code.
 */
export function tellTerminal(words: string, streams: { stdout: TerminalStream; stderr: TerminalStream }): void {
  if (streams.stdout.isTTY === true) streams.stdout.write(words);
  else streams.stderr.write(words);
}

/**
 * How the person who started Moodbox stops it: through systemd for the service; Ctrl+C at a
 * terminal; else (in the background, under nohup) by its process id.
 */
export function stopWords(options: { isSystemd: boolean; isTerminal: boolean; pid: number }): string {
  if (options.isSystemd) return 'sudo systemctl stop moodbox';
  return options.isTerminal ? 'Ctrl+C' : `kill ${options.pid}`;
}
