/**
 * The daemon's refusals, read field by field. The daemon words a refusal as one or more
 * `path: message` problems: a request it could not validate as `body.url: …; body.moods: …`, a
 * configuration as `invalid configuration: vision.analysisFps: must be > 0` (or a list of
 * `  - path: message` lines), a check of a field as `` `url`: … ``. This module is the one place
 * in the screens that knows those forms.
 */

/** One problem of a refusal: the dotted path of the field it names ('' when it names none), in plain words. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The wording of the schema validator, in plain words for whoever fills in the form. */
const PLAIN: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^must be > (-?[\d.]+)$/, (m) => `Enter a number above ${m[1] ?? ''}.`],
  [/^must be >= (-?[\d.]+)$/, (m) => `Enter at least ${m[1] ?? ''}.`],
  [/^must be < (-?[\d.]+)$/, (m) => `Enter a number below ${m[1] ?? ''}.`],
  [/^must be <= (-?[\d.]+)$/, (m) => `Enter at most ${m[1] ?? ''}.`],
  [/^must be integer$/, () => 'Enter a whole number.'],
  [/^must be number$/, () => 'Enter a number.'],
  [/^must be boolean$/, () => 'Choose on or off.'],
  [/^must be string$/, () => 'Enter some text.'],
  [/^must match pattern /, () => 'This is not in the expected form.'],
  [/^must NOT have fewer than 1 items$/, () => 'Choose at least one.'],
  [/^must NOT have fewer than 1 characters$/, () => 'This cannot be empty.'],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `Use at least ${m[1] ?? ''} characters.`],
  [/^must NOT have more than (\d+) characters$/, (m) => `Use at most ${m[1] ?? ''} characters.`],
  [/^must NOT have more than (\d+) items$/, (m) => `Choose at most ${m[1] ?? ''}.`],
  [/^must be equal to one of the allowed values$/, () => 'Choose one of the offered values.'],
  [/^must have required property '(\w+)'$/, (m) => `${m[1] ?? 'A value'} is needed.`],
  [/^expected an http or https URL/, () => 'Enter an address that starts with http:// or https://.'],
  [/^expected a URL with a host/, () => 'Enter a whole address, such as https://radio.example/live.'],
  [
    /^expected a URL without a user name or password/,
    () => 'Use an address without a user name or password: stations are shown as they are, so choose one that needs no sign-in.',
  ],
  [/^expected the station’s name, got nothing$/, () => 'Give the station a name.'],
];

/** `message` in plain words: the validator's phrases rewritten, the rest as the daemon wrote it, as a sentence. */
export function plainWords(message: string): string {
  const text = message.trim();
  for (const [pattern, words] of PLAIN) {
    const match = pattern.exec(text);
    if (match !== null) return words(match);
  }
  const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return /[.!?)]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** A problem's field: `body.url`, `` `url` `` and `url` all name `url`; a leading request part goes. */
const PROBLEM = /^`?(?:(?:body|query|querystring|params|headers)\.)?([A-Za-z_][\w]*(?:\.[\w]+)*)`?: ([\s\S]*)$/;

/** The problems of a refusal's message, each with the field it names and its message in plain words. */
export function fieldProblems(message: string): FieldProblem[] {
  const text = message.replace(/^invalid configuration(?: \(\d+ problems\))?:\s*/, '');
  const lines = text.includes('\n')
    ? text
        .split('\n')
        .map((line) => line.replace(/^\s*-\s*/, '').trim())
        .filter((line) => line !== '')
    : // Problems joined on one line: a "; " is a new problem only where a field's name follows.
      text.split(/; (?=`?[A-Za-z_][\w.]*`?: )/);
  return lines.map((line) => {
    const match = PROBLEM.exec(line);
    return match === null ? { path: '', message: plainWords(line) } : { path: match[1] ?? '', message: plainWords(match[2] ?? '') };
  });
}

/**
 * The field among `fields` (dotted ids) that `path` names: itself, or the nearest one it lies
 * inside (`player.quietHours.from` → `player.quietHours`, `library.folders.0` → `library.folders`);
 * undefined when none does.
 */
export function fieldOf(path: string, fields: readonly string[]): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const id = parts.slice(0, n).join('.');
    if (fields.includes(id)) return id;
  }
  return undefined;
}
