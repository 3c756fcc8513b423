import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Said } from '../../src/daemon/http/contract.js';
import { why, whySaid } from '../../src/daemon/http/state-projector.js';
import { EMOTIONS, NOBODY, type RoomMoodLabel } from '../../src/kernel/room-mood.js';
import { ConfigSchema } from '../../src/daemon/config/schema.js';
import {
  cameraOffInConfigLine,
  guestsLine,
  noReaderLine,
  noSpotifyAccountLine,
  tracksLine,
  updateLine,
} from '../../src/kernel/health-words.js';
import { BACKUP_REFUSALS } from '../../src/daemon/backups/backup-refusals.js';
import { CALIBRATION_REFUSALS } from '../../src/daemon/camera/calibration-refusals.js';
import { GUEST_GONE, GUEST_REFUSALS } from '../../src/daemon/guests/guest-refusals.js';
import { GUEST_REASONS, staffHold, type UnfitVerdict } from '../../src/daemon/guests/guest-reasons.js';
import { judgeFit, roomAimOf } from '../../src/daemon/music/fit-policy.js';
import { CAMERA_PAGE_REFUSALS, QUERY_REFUSALS, SPOTIFY_REFUSALS } from '../../src/daemon/http/http-refusals.js';
import {
  BLOCK_REFUSALS,
  blockFieldRefused,
  LIBRARY_REFUSALS,
  STATION_REFUSALS,
  YOUTUBE_WORDS,
} from '../../src/daemon/music/library-refusals.js';
import { MUSIC_REFUSALS, SILENCES } from '../../src/daemon/music/music-refusals.js';
import { nameProblem } from '../../src/daemon/people/names.js';
import {
  FIRST_RUN_REFUSALS,
  NAME_PROBLEMS,
  PEOPLE_REFUSALS,
  SECRET_PROBLEMS,
  tryAgainIn,
} from '../../src/daemon/people/people-refusals.js';
import { secretProblem } from '../../src/daemon/people/pin-hash.js';
import { currentPassphraseWrong, KIOSK_ACTS, SIGN_IN_REFUSALS } from '../../src/daemon/people/sign-in-refusals.js';
import { lookOf, settingsOf, widgetOf, type SchemaNode } from '../../src/ui/admin/settings-model.js';
import { plainHelp } from '../../src/ui/admin/settings-words.js';
import { argumentsOf, catalogueProblems, flatten, pseudo, pseudoCatalogue } from '../../src/ui/i18n/catalogue-tools.js';
import { GLOSSARIES, wordsToAvoid } from '../../src/ui/i18n/glossary.js';
import type { Catalogue } from '../../src/ui/i18n/i18n.js';
import type { Language } from '../../src/ui/i18n/languages.js';
import { ROOT } from './harness.js';

// The screens' words (issue 57): every catalogue whole and in step with English, every English
// message used by a screen, and no words written into a translated screen's code.

const CATALOGUES = join(ROOT, 'src/ui/i18n/catalogues');
const read = (file: string): Catalogue => JSON.parse(readFileSync(join(CATALOGUES, file), 'utf8')) as Catalogue;
const english = read('en.json');
const languages = readdirSync(CATALOGUES).filter((f) => f.endsWith('.json') && f !== 'en.json');
/** The screens' sources, every TypeScript file under src/ui but the tests: each draws every word from the catalogue. */
const TRANSLATED = readdirSync(join(ROOT, 'src/ui'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(ROOT, 'src/ui', f));

/** The static text of every html`` and svg`` template in `source` (nested ones too), each expression as \uE000. */
function templateTexts(source: string): string[] {
  const texts: string[] = [];
  const skipExpression = (from: number): number => {
    let depth = 1;
    let i = from;
    while (i < source.length && depth > 0) {
      const c = source[i];
      if (source.startsWith('html`', i)) i = readTemplate(i + 'html`'.length, true);
      else if (source.startsWith('svg`', i)) i = readTemplate(i + 'svg`'.length, true);
      else if (c === '`') i = readTemplate(i + 1, false);
      else {
        if (c === '{') depth++;
        if (c === '}') depth--;
        i++;
      }
    }
    return i;
  };
  const readTemplate = (from: number, isMarkup: boolean): number => {
    let text = '';
    let i = from;
    while (i < source.length && source[i] !== '`') {
      if (source.startsWith('${', i)) {
        text += '\uE000';
        i = skipExpression(i + 2);
      } else text += source[i++];
    }
    if (isMarkup) texts.push(text);
    return i + 1;
  };
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith('html`', i) || source.startsWith('svg`', i)) {
      const start = source.indexOf('`', i) + 1;
      i = readTemplate(start, true) - 1;
    }
  }
  return texts;
}

/** Words a reader sees that are written into the markup: text between tags, and labels. */
function literalWords(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]*)"/g)) {
    if (/\p{L}{2,}/u.test((m[1] ?? '').replace(/\uE000/g, ''))) found.push(m[0]);
  }
  const between = text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ')
    .replace(/<[^>]*>/g, '\uE001')
    .split(/[\uE000\uE001]/);
  for (const part of between) if (/\p{L}{2,}/u.test(part)) found.push(part.trim());
  return found;
}

/** A sentence the daemon sends as data, said through the English catalogue as a screen says it. */
function say(said: Said | undefined): string {
  if (said === undefined) return 'no said';
  const messages = flatten(english);
  const values = Object.fromEntries(
    Object.entries(said.values ?? {}).map(([k, v]) => [
      k,
      typeof v === 'object' ? (messages.get(`common.said.${v.said}`) ?? `?${v.said}`) : v,
    ]),
  );
  const message = messages.get(`common.said.${said.id}`);
  if (message === undefined) return `no message common.said.${said.id}`;
  return String(new IntlMessageFormat(message, 'en').format(values));
}

/** A refusal as the daemon sends it: its English and the same sentence as data. */
type Words = { message: string; said?: Said | undefined } | { text: string; said: Said };
const englishOf = (words: Words): string => ('text' in words ? words.text : words.message);

describe('the catalogues', () => {
  it.each(languages)('%s has every English message, no other, each filling in the same names', (file) => {
    expect(catalogueProblems(english, read(file))).toEqual([]);
  });

  it.each(languages)('%s says each thing by its glossary’s one word, never by another', (file) => {
    const glossary = GLOSSARIES[file.replace('.json', '') as Exclude<Language, 'en'>];
    const messages = [...flatten(read(file))];
    const found = messages.flatMap(([key, message]) => wordsToAvoid(message, glossary.avoid).map((word) => `${key}: ${word}`));
    expect(found).toEqual([]);
    // The glossary is the catalogue's own: each of its words is said somewhere.
    const text = messages.map(([, message]) => message.toLowerCase()).join('\n');
    expect(Object.values(glossary.words).filter((word) => !text.includes(word.toLowerCase()))).toEqual([]);
  });

  it('names the music a held mood plays, not the room again ("Tense room · powerful music")', () => {
    const plays = [...flatten(english)].filter(([key]) => key.startsWith('admin.staff.plays.'));
    expect(plays).toHaveLength(EMOTIONS.length);
    expect(plays.filter(([, text]) => !/ music$/.test(String(text)) || /room/.test(String(text)))).toEqual([]);
  });

  it('keeps French quotes with their words: the space inside « » never breaks a line', () => {
    const broken = [...flatten(read('fr.json'))].filter(([, text]) => /«[ \t]|[ \t]»/.test(String(text))).map(([key]) => key);
    expect(broken).toEqual([]);
  });

  it('finds a word outside the glossary, and not in a value’s name or in code', () => {
    const avoid = GLOSSARIES.de.avoid;
    expect(wordsToAvoid('Nach Titel oder Interpret suchen', avoid)).toEqual(['Interpret']);
    expect(wordsToAvoid('{count, plural, one {# Track} other {# Tracks}}', avoid)).toEqual(['Track', 'Tracks']);
    expect(wordsToAvoid('Gesicht #{track}: {emotion} in `tracks`', avoid)).toEqual([]);
  });

  it('the pseudo-locale keeps every message’s names, and is 40% longer in words a line may break between', () => {
    expect(catalogueProblems(english, pseudoCatalogue(english))).toEqual([]);
    expect(pseudo('Ask for it')).toBe('[Åšk för ît öñé]');
    const long = 'Nobody can sign in? On the box, run the command below to add an admin, then set their PIN.';
    const padded = pseudo(long).slice(pseudo(long).indexOf('PÎÑ.') + 4, -1);
    expect(padded.replace(/\s/g, '')).toHaveLength(Math.round(long.replace(/\s/g, '').length * 0.4));
    expect(Math.max(...padded.split(' ').map((word) => word.length))).toBeLessThanOrEqual(5);
    expect(argumentsOf(pseudo('{left} of {perHour, plural, one {# request} other {# requests}} left'))).toEqual(['left', 'perHour']);
  });

  it('holds only messages a screen uses, and a screen uses only messages it holds', () => {
    const code = TRANSLATED.map((f) => readFileSync(f, 'utf8')).join('\n');
    const used = new Set(
      [...code.matchAll(/['`]((?:common|guest|kiosk|admin)\.[\w.]+?)(\$\{|['`])/g)].map((m) => `${m[1]}${m[2] === '${' ? '*' : ''}`),
    );
    const keys = [...flatten(english).keys()];
    const isUsed = (key: string): boolean => used.has(key) || [...used].some((u) => u.endsWith('*') && key.startsWith(u.slice(0, -1)));
    expect(keys.filter((key) => /^(guest|kiosk|admin)\./.test(key) && !isUsed(key))).toEqual([]);
    expect([...used].filter((u) => !u.endsWith('*') && !keys.includes(u))).toEqual([]);
  });

  it.each(TRANSLATED.map((f) => [relative(ROOT, f), f]))('%s writes no words into its markup', (_name, file) => {
    expect(templateTexts(readFileSync(file, 'utf8')).flatMap(literalWords)).toEqual([]);
  });

  it('says every sentence the daemon sends as data as the daemon says it in English', () => {
    const moods: Array<RoomMoodLabel | null> = [null, NOBODY, ...EMOTIONS];
    let checked = 0;
    for (const mood of moods) {
      for (const faces of [0, 1, 2, 5]) {
        for (const tooDark of [false, true]) {
          const said = whySaid(mood, faces, tooDark);
          expect(said === null ? null : say(said), `${mood} ${faces} ${tooDark}`).toBe(why(mood, faces, tooDark));
          checked += said === null ? 0 : 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    // The health lines an owner reads, in every form they take.
    const record = { at: '2026-11-28T01:02:03.000Z', from: '1.3.0 (abc1234)', to: '1.4.0 (def5678)', reason: 'no answer within 60 s' };
    const lines = [
      ...[0, 1, 24].flatMap((n) => [tracksLine(n), tracksLine(n, 'scanning'), tracksLine(n, 'analysing'), guestsLine(true, n)]),
      guestsLine(false, 0),
      noReaderLine(),
      noSpotifyAccountLine(),
      cameraOffInConfigLine(),
      updateLine(undefined),
      ...(['ok', 'rolled-back', 'failed'] as const).map((result) => updateLine({ ...record, result })),
    ];
    for (const line of lines) expect(say(line.said)).toBe(line.detail);
    // Why a guest's request stands where it does, and the staff's hold on the guest page.
    const room = roomAimOf({ calm: 0.7, mellow: 0.3 });
    const unfit = [
      judgeFit([], room),
      judgeFit(['uplifting'], room),
      judgeFit(['energetic'], room),
      judgeFit(['dinner jazz'], room),
    ].filter((v): v is UnfitVerdict => v.fit !== 'fits');
    expect(unfit.map((v) => v.fit)).toEqual(['near', 'near', 'far', 'near']);
    const reasons = [
      GUEST_REASONS.queued,
      GUEST_REASONS.approval,
      GUEST_REASONS.staffDeclined,
      ...[1, 15].map((minutes) => GUEST_REASONS.staffLate(minutes)),
      GUEST_REASONS.playing,
      GUEST_REASONS.played,
      ...(['voted-off', 'skipped', 'switched', 'failed', 'interrupted'] as const).map((outcome) => GUEST_REASONS.endedEarly(outcome)),
      GUEST_REASONS.votedOffQueue,
      GUEST_REASONS.blocked,
      GUEST_REASONS.cleared,
      GUEST_REASONS.cancelled,
      ...unfit.flatMap((v) => [GUEST_REASONS.fit(v), GUEST_REASONS.waited(12, v)]),
      ...['calm', 'upbeat', 'dinner jazz', ''].map((music) => staffHold(music)),
    ];
    for (const reason of reasons) expect(say(reason.said ?? undefined)).toBe(reason.text);
    // Why a station is not played now, as the stations page shows it.
    for (const words of Object.values(YOUTUBE_WORDS)) expect(say(words.said)).toBe(words.text);
  });

  it('says every refusal the daemon sends as data as the daemon says it in English', () => {
    const acts = KIOSK_ACTS.flatMap((what) => [
      SIGN_IN_REFUSALS.toShapePicks(what),
      SIGN_IN_REFUSALS.nobody(what),
      SIGN_IN_REFUSALS.signedOut(what),
      SIGN_IN_REFUSALS.accountGone(what),
      SIGN_IN_REFUSALS.otherScreen(what),
      SIGN_IN_REFUSALS.onThisScreen(what),
    ]);
    const known = ['calm', 'happy', 'dinner jazz'];
    const refusals: Words[] = [
      PEOPLE_REFUSALS.noUser(3),
      PEOPLE_REFUSALS.userGone(3),
      PEOPLE_REFUSALS.noCard(),
      PEOPLE_REFUSALS.ownRole(),
      PEOPLE_REFUSALS.ownDelete(),
      PEOPLE_REFUSALS.nameTaken('Ana'),
      PEOPLE_REFUSALS.registrationOff(),
      PEOPLE_REFUSALS.registrationName(),
      NAME_PROBLEMS.empty(),
      NAME_PROBLEMS.tooLong(64, 70),
      NAME_PROBLEMS.hidden('U+200B', 3),
      ...[nameProblem(''), nameProblem('x'.repeat(65)), nameProblem('A\u202Ena')].map((p) => p ?? { message: 'no problem' }),
      SECRET_PROBLEMS.pin(),
      SECRET_PROBLEMS.passphrase(10),
      ...[secretProblem('member', '12'), secretProblem('admin', 'short')].map((p) => p ?? { message: 'no problem' }),
      FIRST_RUN_REFUSALS.hasAdmin(),
      ...[0, 1000, 2500].flatMap((ms) => [
        FIRST_RUN_REFUSALS.codeNeeded(ms),
        FIRST_RUN_REFUSALS.wrongCode(ms),
        currentPassphraseWrong(ms),
        ...(ms > 0 ? [FIRST_RUN_REFUSALS.throttled(ms)] : []),
      ]),
      ...acts,
      SIGN_IN_REFUSALS.otherScreen('do something new'),
      SIGN_IN_REFUSALS.atKiosk(),
      SIGN_IN_REFUSALS.adminPanel(),
      SIGN_IN_REFUSALS.adminOnly(),
      SIGN_IN_REFUSALS.lanOnly(true),
      SIGN_IN_REFUSALS.lanOnly(false),
      SIGN_IN_REFUSALS.changePassphraseFirst('Ana', '/api/admin/session/passphrase'),
      SIGN_IN_REFUSALS.samePassphrase(),
      ...SILENCES.flatMap((silence) => [
        MUSIC_REFUSALS.nothingToSkip(silence),
        MUSIC_REFUSALS.cannotPlayNow(silence),
        MUSIC_REFUSALS.noMusicNow(silence),
      ]),
      MUSIC_REFUSALS.didNotStart(),
      MUSIC_REFUSALS.didNotQueue(),
      MUSIC_REFUSALS.didNotMove(),
      MUSIC_REFUSALS.stationDidNotPlay('Radio Paradise', 'loading failed'),
      MUSIC_REFUSALS.stationDidNotPlay('Radio Paradise', 'unrecognized file format'),
      MUSIC_REFUSALS.notQueuedByStaff(7),
      MUSIC_REFUSALS.notPlayable(12),
      MUSIC_REFUSALS.noSuchTrack(12),
      MUSIC_REFUSALS.spotifyNotASource('Blue'),
      ...(['song', 'artist', 'explicit'] as const).map((why) => MUSIC_REFUSALS.blocked('Blue', why)),
      MUSIC_REFUSALS.stationCannotPlay(),
      MUSIC_REFUSALS.unplayableEntry('Blue', 'stream'),
      MUSIC_REFUSALS.signInToChoose(),
      MUSIC_REFUSALS.alreadyEnded(3, 4),
      MUSIC_REFUSALS.atKioskOnly(),
      ...[1, 30].map((s) => MUSIC_REFUSALS.tooManyTaps(s)),
      LIBRARY_REFUSALS.noTrack(12),
      LIBRARY_REFUSALS.noFileToPlay(12),
      LIBRARY_REFUSALS.noFileToListen(12),
      LIBRARY_REFUSALS.none(),
      LIBRARY_REFUSALS.moodTwice('calm'),
      LIBRARY_REFUSALS.moodNeither(),
      LIBRARY_REFUSALS.moodBoth('calm'),
      LIBRARY_REFUSALS.unknownMood('wild', known),
      STATION_REFUSALS.noStation(5),
      STATION_REFUSALS.unknownMoods(['wild'], known),
      STATION_REFUSALS.unknownMoods(['wild', 'odd', 'loud'], known),
      ...(['business', 'off', 'noYtDlp'] as const).map((why) => STATION_REFUSALS.youtube(why)),
      STATION_REFUSALS.privateAddress('`radio.local`'),
      STATION_REFUSALS.privateAddress('`radio.example` (192.168.1.20)'),
      BLOCK_REFUSALS.noTrack(12),
      BLOCK_REFUSALS.noBlock(4),
      blockFieldRefused('body.artist', BLOCK_REFUSALS.emptyArtist()) as Error & Words,
      blockFieldRefused('body.artist', BLOCK_REFUSALS.hiddenArtist('U+202E', 2)) as Error & Words,
      blockFieldRefused('body.csv', BLOCK_REFUSALS.noArtistColumn(['name', 'song'])) as Error & Words,
      blockFieldRefused('body.csv', BLOCK_REFUSALS.tooManyLines(5000, 5001)) as Error & Words,
      GUEST_REFUSALS.closed(),
      GUEST_REFUSALS.asked('Blue'),
      ...[1, 3].flatMap((n) => [
        GUEST_REFUSALS.recent('Blue', n),
        GUEST_REFUSALS.tooFast(n),
        GUEST_REFUSALS.phoneLimit(n, '14:32'),
        GUEST_REFUSALS.networkFull(n, '14:32'),
        GUEST_REFUSALS.networkLimit(n, n, '14:32'),
      ]),
      GUEST_GONE.noSong(12),
      GUEST_GONE.songGone(12),
      GUEST_GONE.notYours(2),
      GUEST_GONE.notUpNext(2),
      GUEST_GONE.staffNotInQueue(2),
      GUEST_GONE.staffNotWaiting(2),
      GUEST_GONE.lanOnly(),
      GUEST_GONE.foreignOrigin(),
      GUEST_GONE.noOrigin(),
      CALIBRATION_REFUSALS.cameraOff(),
      CALIBRATION_REFUSALS.notRecording(),
      CALIBRATION_REFUSALS.badExpression(['neutral', 'happy'], 'bored'),
      CALIBRATION_REFUSALS.noFace(),
      BACKUP_REFUSALS.tooLarge(2 ** 30),
      BACKUP_REFUSALS.empty(),
      BACKUP_REFUSALS.cannotKeepUpload('ENOSPC: no space left on device', undefined),
      BACKUP_REFUSALS.cannotKeep('moodbox-2026-11-28.db', 'EACCES: permission denied', undefined),
      BACKUP_REFUSALS.tooManyOfName('moodbox-2026-11-28.db'),
      BACKUP_REFUSALS.noDatabase('/var/lib/moodbox/moodbox.db'),
      BACKUP_REFUSALS.cannotBackUp('/var/lib/moodbox/moodbox.db', '/var/lib/moodbox/backups/x.db', 'disk I/O error', undefined),
      BACKUP_REFUSALS.writtenButGone('moodbox-2026-11-28.db'),
      BACKUP_REFUSALS.cannotRestore('moodbox-2026-11-28.db', ['integrity check: page 3', 'no table plays']),
      BACKUP_REFUSALS.noBackupNamed('moodbox-2026-11-28.db'),
      BACKUP_REFUSALS.noneYet(),
      BACKUP_REFUSALS.notAFile('application/vnd.sqlite3'),
      CAMERA_PAGE_REFUSALS.previewOff(true),
      CAMERA_PAGE_REFUSALS.previewOff(false),
      CAMERA_PAGE_REFUSALS.turnedOff(),
      CAMERA_PAGE_REFUSALS.noPreviewYet(),
      CAMERA_PAGE_REFUSALS.noFacesYet(),
      ...(['off', 'starting', 'on', 'unavailable'] as const).flatMap((status) =>
        [null, 'cannot open /dev/video0'].flatMap((detail) => [
          CAMERA_PAGE_REFUSALS.noPreview(status, detail),
          CAMERA_PAGE_REFUSALS.noAnalysis(status, detail),
        ]),
      ),
      CAMERA_PAGE_REFUSALS.noModel(),
      QUERY_REFUSALS.historyFromAfterTo('2026-11-28T10:00:00.000Z', '2026-11-28T09:00:00.000Z'),
      QUERY_REFUSALS.chartToBeforeFrom(1_764_324_000_000, 1_764_320_000_000),
      QUERY_REFUSALS.chartTooManyBuckets('bucketMs', 1000, 60_000, 1441),
      SPOTIFY_REFUSALS.unavailable(true),
      SPOTIFY_REFUSALS.unavailable(false),
      SPOTIFY_REFUSALS.notTheCallback('https://open.spotify.com/'),
    ];
    const wrong = refusals.filter((r) => say(r.said) !== englishOf(r)).map((r) => ({ english: englishOf(r), said: say(r.said) }));
    expect(wrong).toEqual([]);
    expect(refusals.length).toBeGreaterThan(200);
    // A wait the kiosk counts down itself follows the sentence in the English only.
    for (const ms of [1000, 2500]) {
      const refused = PEOPLE_REFUSALS.registrationThrottled(ms);
      expect(refused.message).toBe(`${say(refused.said)} ${tryAgainIn(ms)}`);
    }
  });

  it('holds the help of every setting as the configuration describes it, in staff’s words, so that a changed description is translated again', () => {
    const messages = flatten(english);
    const settings = settingsOf(JSON.parse(JSON.stringify(ConfigSchema)) as SchemaNode).filter(([, node]) => node.description);
    expect(settings.length).toBeGreaterThan(100);
    const wrong = settings.flatMap(([id, node]) => {
      const look = lookOf(id, node);
      const said = plainHelp(node.description ?? '', look, widgetOf(node, look), id);
      const held = messages.get(`admin.settings.field.${id}.help`);
      return held === said ? [] : [{ id, held, said }];
    });
    expect(wrong).toEqual([]);
    const ids = new Set(settings.map(([id]) => id));
    const helps = [...messages.keys()].filter((key) => /^admin\.settings\.field\..+\.help$/.test(key));
    expect(helps.filter((key) => !ids.has(key.slice('admin.settings.field.'.length, -'.help'.length)))).toEqual([]);
  });

  it('finds words written into markup, so that the check above can fail', () => {
    const source = 'html`<p>Hello ${name}</p><button aria-label="Close ${x}">${t(\'guest.x\')}</button>${y ? html`<b>Soon</b>` : nothing}`';
    expect(templateTexts(source).flatMap(literalWords)).toEqual(['Soon', 'aria-label="Close \uE000"', 'Hello']);
  });
});
