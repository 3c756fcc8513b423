import { formatNumber, i18n, moodName, t } from './admin-i18n.js';

/*
 * The camera's health line in the reader's language. The camera and the vision loop write it in
 * English for the log ("camera on; room mood calm; 4.8 frames/s analysed; faces 22–74 px, median
 * 40 px, over the last 5 min (…)"); the panel reads back each phrase it knows and says it from the
 * catalogue. A phrase it does not know stays with the technician, under "Details for a technician".
 */

type Phrase = [RegExp, (m: RegExpExecArray) => string];

const PHRASES: readonly Phrase[] = [
  [/^camera on\b/, () => t('admin.health.camera.on')],
  [/^waiting for the camera\b/, () => t('admin.health.camera.waiting')],
  [/^camera unavailable\b/, () => t('admin.health.camera.unavailable')],
  [/^camera off: turned off by an admin\b/, () => t('admin.health.camera.offByAdmin')],
  [
    /^camera off: off outside camera hours \((\d{1,2}:\d{2})–(\d{1,2}:\d{2})\)/,
    (m) => t('admin.health.camera.offHours', { from: i18n.clock(m[1] ?? ''), to: i18n.clock(m[2] ?? '') }),
  ],
  [/^camera off: (?!turned off by an admin|off outside camera hours)/, () => t('admin.health.camera.off')],
  [/; room mood ([\w -]+?)(?:;|$)/, (m) => t('admin.health.camera.room', { mood: moodName(m[1] ?? '') })],
  [/; ([\d.]+) frames\/s analysed/, (m) => t('admin.health.camera.rate', { fps: formatNumber(Number(m[1])) })],
  [
    /faces (\d+)–(\d+) px, median (\d+) px, over the last (\d+) min/,
    (m) => t('admin.health.camera.faces', { smallest: m[1] ?? '', largest: m[2] ?? '', median: m[3] ?? '', minutes: Number(m[4]) }),
  ],
  [/where expressions read less well|where some are missed/, () => t('admin.health.camera.facesSmall')],
  [/faces too dark to read expressions now/, () => t('admin.health.camera.tooDark')],
  [/faces readable now/, () => t('admin.health.camera.readable')],
  [
    /too dark for (\d+) of the last (\d+) minutes with faces in view/,
    (m) => t('admin.health.camera.darkMinutes', { dark: Number(m[1]), minutes: Number(m[2]) }),
  ],
  [/faces (?:too dark to read expressions|readable) now/, () => t('admin.health.camera.lightAdvice')],
];

/** The camera's (or the vision loop's) health detail as an owner reads it: each phrase it holds, in the reader's language. */
export function cameraHealthWords(detail: string | undefined): string {
  const text = detail ?? '';
  return PHRASES.flatMap(([pattern, words]) => {
    const match = pattern.exec(text);
    return match === null ? [] : [words(match)];
  }).join('; ');
}
