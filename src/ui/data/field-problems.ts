import { t } from '../admin/admin-i18n.js';

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

/**
 * The wording of the schema validator and the daemon's checks of a setting, in plain words for
 * whoever fills in the form, in the panel's language (its problems section of the catalogue).
 */
const PLAIN: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^must be > (-?[\d.]+)$/, (m) => t('admin.problems.above', { n: m[1] ?? '' })],
  [/^must be >= (-?[\d.]+)$/, (m) => t('admin.problems.atLeast', { n: m[1] ?? '' })],
  [/^must be < (-?[\d.]+)$/, (m) => t('admin.problems.below', { n: m[1] ?? '' })],
  [/^must be <= (-?[\d.]+)$/, (m) => t('admin.problems.atMost', { n: m[1] ?? '' })],
  [/^must be integer$/, () => t('admin.problems.wholeNumber')],
  [/^must be number$/, () => t('admin.problems.number')],
  [/^must be boolean$/, () => t('admin.problems.onOrOff')],
  [/^must be string$/, () => t('admin.problems.text')],
  [/^must match pattern /, () => t('admin.problems.form')],
  [/^must NOT have fewer than 1 items$/, () => t('admin.problems.chooseOne')],
  [/^must NOT have fewer than 1 characters$/, () => t('admin.problems.notEmpty')],
  [/^must NOT have fewer than (\d+) characters$/, (m) => t('admin.problems.minCharacters', { n: m[1] ?? '' })],
  [/^must NOT have more than (\d+) characters$/, (m) => t('admin.problems.maxCharacters', { n: m[1] ?? '' })],
  [/^must NOT have more than (\d+) items$/, (m) => t('admin.problems.maxItems', { n: m[1] ?? '' })],
  [/^must be equal to one of the allowed values$/, () => t('admin.problems.offered')],
  [/^must have required property '(\w+)'$/, (m) => t('admin.problems.needed', { name: m[1] ?? '' })],
  [/^expected an http or https URL/, () => t('admin.problems.httpAddress')],
  [/^expected a URL with a host/, () => t('admin.problems.wholeAddress')],
  [/^expected a URL without a user name or password/, () => t('admin.problems.noSignInAddress')],
  [/^expected the station’s name, got nothing$/, () => t('admin.problems.stationName')],
  // The daemon's checks of a music folder and a camera the panel chose (config/panel-checks.ts).
  [/^(.+) does not exist or cannot be read$/, (m) => t('admin.problems.folderMissing', { folder: m[1] ?? '' })],
  [/^(.+) is not a folder$/, (m) => t('admin.problems.notAFolder', { folder: m[1] ?? '' })],
  [
    /^(.+) is outside the folders the admin panel may use \((.*)\); add it in the configuration file$/,
    (m) => t('admin.problems.outsideRoots', { folder: m[1] ?? '', roots: m[2] ?? '' }),
  ],
  [/^(.+) does not exist \(is the camera plugged in\?\)$/, (m) => t('admin.problems.noCamera', { source: m[1] ?? '' })],
  [/^the admin panel can choose `demo` or a camera device/, () => t('admin.problems.cameraChoice')],
  [/^can only be set in the configuration file/, () => t('admin.problems.fileOnly')],
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
