import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorWords, auditWords } from '../../src/ui/admin/audit-words.js';
import { cameraHealthWords } from '../../src/ui/admin/camera-health-words.js';
import { i18n } from '../../src/ui/admin/admin-i18n.js';
import { tableWords } from '../../src/ui/admin/disk-table-words.js';
import { fieldProblems } from '../../src/ui/data/field-problems.js';
import { screenCatalogue } from '../../src/ui/i18n/catalogue-tools.js';
import type { Catalogue } from '../../src/ui/i18n/i18n.js';
import { ROOT } from './harness.js';

// The admin panel's words that come from the daemon's own English (issue 82, item 7): the audit's
// actions, details and moods, the Disk card's tables, the camera's Health line, and a music folder
// the daemon refused, each said in the reader's language; the daemon keeps its English for the log.

const LANGUAGES = ['de', 'fr', 'es', 'it', 'pt', 'nl'];

/** The daemon's English, word by word, that no other language's screen may show. */
const ENGLISH =
  /\b(guests?\.\w+|request|requests|sad|happy|tracks?|camera on|room mood|frames\/s|analysed|faces|over the last|does not exist|cannot be read|audit_log|plays|mood_log|camera\.enabled|use the camera)\b/i;

/** The entries a day of guests' requests, a held mood and moods given to songs write. */
const AUDIT = [
  { action: 'guests.approve', detail: { request: 7 } },
  { action: 'guests.decline', detail: { request: 8 } },
  { action: 'guests.clear', detail: { request: 9 } },
  { action: 'guests.clear-all', detail: { requests: 3 } },
  { action: 'mood.hold', detail: { label: 'sad', minutes: 30 } },
  { action: 'mood.release', detail: { label: 'happy' } },
  { action: 'track.moods', target: '3 tracks', detail: { add: ['calm'], remove: ['sad'], tracks: 3 } },
  { action: 'settings.save', detail: { changed: ['camera.enabled'], restartRequired: [] } },
].map((e, i) => ({ id: i + 1, at: Date.UTC(2026, 10, 28, 21, 5), actor: 'admin:1', target: '', ...e }));

const CAMERA =
  'camera on; room mood sad; 4.8 frames/s analysed; faces 22–74 px, median 40 px, over the last 5 min (120 faces seen in 640x480 frames)';

/** Who acted, as the daemon writes them to the audit besides people (`actors` in store/audit.ts). */
const ACTORS = ['first-run:ip:127.0.0.1', 'self:ip:10.0.0.5', 'mqtt:homeassistant', 'mqtt:fleet', 'demo', 'moodbox', 'the memory guard'];

/** An actor as the daemon logs it. */
const DAEMON_ACTOR = /first-run|self:|mqtt:|ip:|^(demo|moodbox|the memory guard)$/;

/** What the panel shows of these in the language it speaks now. */
function shown(): string[] {
  const names = new Map([[1, 'Inès']]);
  return [
    ...AUDIT.flatMap((e) => {
      const words = auditWords(e, names);
      return [words.what, ...words.details.flat()];
    }),
    ...['audit_log', 'plays', 'mood_log', 'tracks'].map(tableWords),
    cameraHealthWords(CAMERA),
    ...fieldProblems('invalid configuration: library.folders: /nope/music does not exist or cannot be read').map((p) => p.message),
  ];
}

describe('the admin panel’s words from the daemon', () => {
  const fetched = globalThis.fetch;
  beforeAll(() => {
    // The panel fetches `locales/<language>.admin.json` beside the page; here, the catalogue itself.
    (globalThis as { document?: unknown }).document = { baseURI: 'http://box.test/admin', documentElement: {} };
    globalThis.fetch = (url: string | URL | Request) => {
      const asked = url instanceof Request ? url.url : url.toString();
      const language = /locales\/(\w+)\.admin\.json$/.exec(asked)?.[1] ?? '';
      const file = JSON.parse(readFileSync(join(ROOT, `src/ui/i18n/catalogues/${language}.json`), 'utf8')) as Catalogue;
      return Promise.resolve(new Response(JSON.stringify(screenCatalogue(file, 'admin'))));
    };
  });
  afterAll(async () => {
    globalThis.fetch = fetched;
    await i18n.use('en');
    delete (globalThis as { document?: unknown }).document;
  });

  it('are English in English, each from the catalogue', async () => {
    await i18n.use('en');
    expect(shown()).toEqual([
      'Said yes to a guest’s request',
      'Request',
      '7',
      'Declined a guest’s request',
      'Request',
      '8',
      'Took a guest’s request out of the queue',
      'Request',
      '9',
      'Cleared the guests’ requests',
      'Requests',
      '3',
      'Held the music’s mood',
      'Mood',
      'Sad',
      'For (minutes)',
      '30',
      'Let the room lead the music again',
      'Mood',
      'Happy',
      expect.stringContaining('3 songs'),
      'Added',
      'Calm',
      'Removed',
      'Sad',
      'Tracks',
      '3',
      'Saved the settings',
      'Changed now',
      'Use the camera',
      'audit log',
      'plays',
      'room moods',
      'songs',
      'camera on; room mood Sad; 4.8 frames a second analysed; faces 22–74 px, median 40 px, over the last 5 minutes',
      '/nope/music does not exist or cannot be read.',
    ]);
  });

  it('name who acted in the audit, a device, the box itself or the broker, never as the daemon logs them', async () => {
    const names = new Map([[1, 'Inès']]);
    await i18n.use('en');
    expect(ACTORS.map((actor) => actorWords(actor, names))).toEqual([
      'the first-run set-up (a device at 127.0.0.1)',
      'a new member signing up (a device at 10.0.0.5)',
      'the building’s controls (MQTT: homeassistant)',
      'the fleet’s operator (MQTT)',
      'demo mode',
      'Moodbox itself',
      'Moodbox’s memory guard',
    ]);
    for (const language of LANGUAGES) {
      await i18n.use(language);
      const said = ACTORS.map((actor) => actorWords(actor, names));
      expect(
        said.filter((words) => DAEMON_ACTOR.test(words) || /\b(demo mode|itself|memory guard)\b/.test(words)),
        language,
      ).toEqual([]);
    }
  });

  it('name a learned language by its name in the reader’s language, not by the code the files are tagged with', async () => {
    const learned = { id: 'learned.languageYou', values: { language: 'fra', mood: { said: 'music.calm' } } };
    await i18n.use('en');
    expect(i18n.said(learned, '')).toBe('songs in French play through for you; fits calm');
    await i18n.use('de');
    expect(i18n.said(learned, '')).toContain('„Französisch“');
  });

  it.each(LANGUAGES)('are all in the reader’s language in %s, none in the daemon’s English', async (language) => {
    await i18n.use(language);
    expect(i18n.language).toBe(language);
    const english = shown().filter((text) => ENGLISH.test(text));
    expect(english).toEqual([]);
  });
});
