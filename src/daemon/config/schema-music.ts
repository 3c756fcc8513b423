import { Type, type TLiteral } from 'typebox';
import { SOURCES, type MusicSourceMode } from '../../player/sources/registered-sources.js';
import type { SourceRegistry } from '../../player/sources/source-registry.js';
import { DEMO_LIBRARY } from './demo-paths.js';
import { DayPlansSchema } from './schema-day-plans.js';
import { DailySpan, HHMM } from './schema-time.js';

/** The configuration's music sections: `library`, `player`, `site`, `music` and `spotify`. */

export const LibrarySchema = Type.Object(
  {
    folders: Type.Array(Type.String({ minLength: 1 }), {
      default: [DEMO_LIBRARY],
      description:
        'Folders of music, scanned at start, when saved and from the admin panel. Relative paths start at the install folder. Songs outside them leave the library at the next scan, and the demo songs leave once a folder of your own is in.',
      panel: 'music-folders',
      demoFolder: DEMO_LIBRARY,
    }),
    panelRoots: Type.Array(Type.String({ minLength: 1, pattern: '^/' }), {
      default: ['/srv', '/media', '/mnt', '/home'],
      description: 'The admin panel may choose music folders only inside these folders (and the bundled demo music).',
      requiresRestart: true,
      fileOnly: true,
    }),
    scanAtStart: Type.Boolean({ default: true, description: 'Rescan the folders when Moodbox starts (only changed files are read).' }),
    analyze: Type.Boolean({
      default: true,
      description:
        'Listen to every local track after a scan (tempo, loudness, brightness…) and place it on the mood plane, in a niced background process; each file version is analysed once.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const PlayerSchema = Type.Object(
  {
    mpvPath: Type.String({ default: 'mpv', minLength: 1, description: 'The mpv executable.', requiresRestart: true, fileOnly: true }),
    audioOutput: Type.String({
      default: 'auto',
      minLength: 1,
      description: 'mpv audio output: `auto` (default device, or null when there is none), `null`, or an mpv `--ao` value.',
      requiresRestart: true,
      fileOnly: true,
    }),
    snapcastPipe: Type.String({
      default: '/tmp/snapfifo',
      minLength: 1,
      pattern: '^/',
      description:
        'The Snapcast server’s pipe (a FIFO) that the `snapcast` output writes into; nothing plays while it is missing or not a FIFO. Under systemd use a pipe in /run/snapserver/ (the unit’s /tmp is private).',
      requiresRestart: true,
      fileOnly: true,
    }),
    mpvArgs: Type.Array(Type.String({ pattern: '^--' }), {
      default: [],
      description: 'More mpv options, e.g. `--audio-device=alsa/plughw:1` for a USB sound card.',
      requiresRestart: true,
      fileOnly: true,
    }),
    autoplay: Type.Boolean({ default: true, description: 'Start playing as soon as Moodbox starts.' }),
    policy: Type.Union([Type.Literal('match'), Type.Literal('lift')], {
      default: 'match',
      description: "`match` plays to the room mood; `lift` starts there and steps toward each emotion's lift mood (sad → uplifting).",
    }),
    switchOnMoodChange: Type.Boolean({
      default: true,
      description:
        'When the room has changed a lot and for long (`player.transitions`), fade out a song that does not fit it; off: the new mood always starts with the next song.',
    }),
    transitions: Type.Object(
      {
        cutDistance: Type.Number({
          default: 0.8,
          minimum: 0,
          maximum: 3,
          description:
            'A song is cut for the room only when the room has moved at least this far on the mood plane (how pleasant and how lively the room is, each from −1 to 1) from where it was when the song started: calm to upbeat is 1.1, calm to mellow 0.7, upbeat to energetic 0.5. A smaller move waits for the next song; 0: any change that the song does not fit.',
        }),
        cutHoldMs: Type.Integer({
          default: 60_000,
          minimum: 0,
          maximum: 600_000,
          description:
            'How long the room must stay that far before the song is cut (ms): a laughing table or people passing change the next song, not this one; no song is cut in its first this long. A song ending within 30 s plays to its end.',
        }),
        fadeMs: Type.Integer({
          default: 6000,
          minimum: 300,
          maximum: 20_000,
          description: 'How long a song cut for the room fades out before the next one starts (ms), when its tempo is unknown.',
        }),
        fadeBars: Type.Integer({
          default: 4,
          minimum: 0,
          maximum: 16,
          description:
            'With the tempo of the song known (the analysis), its fade lasts this many bars of four beats, within ⅔ to 4⁄3 of `fadeMs` (4–8 s by default); 0: always `fadeMs`.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    volume: Type.Integer({ default: 70, minimum: 0, maximum: 100, description: 'Volume at start (0–100).' }),
    maxVolume: Type.Integer({
      default: 100,
      minimum: 0,
      maximum: 100,
      description:
        'Nobody, staff included, can set the volume above this (0–100). A ceiling, not a volume: the volume last asked for is kept, and the music plays at the lower of the two, so raising it raises the volume up to that (asked for 70 under a cap of 30, it plays at 30, and at 60 once the cap is 60).',
    }),
    crossfadeMs: Type.Integer({
      default: 0,
      minimum: 0,
      maximum: 12_000,
      description:
        'How long the end of one song fades out under the start of the next (ms, up to 12000); 0: songs follow each other without a gap. Songs of one album always do.',
    }),
    guestTaps: Type.Boolean({ default: true, description: 'Let people who are not signed in start a suggested song by tapping it.' }),
    tapsPerMinute: Type.Integer({
      default: 2,
      minimum: 1,
      maximum: 60,
      description:
        'Songs the kiosk may start by a tap in a minute, counted per screen and per network address; more are refused for a while (429).',
    }),
    tapsPerHour: Type.Integer({
      default: 20,
      minimum: 0,
      maximum: 600,
      description: 'Songs the kiosk may start by a tap in an hour, counted per screen and per network address; 0: taps never start a song.',
    }),
    idle: Type.Object(
      {
        behaviour: Type.Union([Type.Literal('quiet'), Type.Literal('lower'), Type.Literal('silence')], {
          default: 'quiet',
          description:
            'When nobody is there: `quiet` plays calm music at the idle volume, `lower` keeps the music at the idle volume, `silence` pauses.',
        }),
        volume: Type.Integer({ default: 35, minimum: 0, maximum: 100, description: 'Volume while nobody is there (0–100).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    quietHours: Type.Union([Type.Null(), DailySpan('the silence')], {
      default: null,
      description: 'Daily hours of silence (local time), e.g. a flat at night; null: none.',
    }),
    volumeSchedule: Type.Array(
      Type.Object(
        {
          from: Type.String({ pattern: HHMM, description: 'Local time HH:MM the limit starts.' }),
          to: Type.String({ pattern: HHMM, description: 'Local time HH:MM the limit ends.' }),
          maxVolume: Type.Integer({ minimum: 0, maximum: 100, description: 'Highest volume in that span (0–100).' }),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'Lower volume limits by time of day (local time), e.g. 40 from 18:00 to 08:00.' },
    ),
    dayPlans: DayPlansSchema,
  },
  { additionalProperties: false, default: {} },
);

export const SiteSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('business'), Type.Literal('home')], {
      default: 'business',
      description:
        'Where the box plays: `business` (a café, a shop: only the local library, since streaming services license music for personal use only) or `home` (Spotify and YouTube may play).',
    }),
    language: Type.String({
      default: 'auto',
      pattern: '^(auto|[a-z]{2})$',
      description:
        'The language the kiosk speaks, chosen from the list: each language by its own name (a language added as docs/languages.md says joins the list), or the kiosk browser’s own language (`auto`); the configuration file takes its two-letter code (`de`) or `auto`. A guest’s phone follows its own browser’s language (the guest may pick another), and the admin panel the language each admin chose, else their browser’s.',
    }),
  },
  { additionalProperties: false, default: {} },
);

/**
 * The `music.source` settings of the registered sources (`sources`), one literal each, as the admin
 * panel reads them: a source's own setting with its name (`title`), and `homesOnly` on one that
 * no source a business may play brings.
 */
export function sourceChoices(sources: SourceRegistry = SOURCES): Array<TLiteral<string>> {
  const business = sources.modesAt({ isHome: false });
  return sources.modes.map((mode) => {
    const source = sources.byKind(mode);
    return Type.Literal(mode, {
      ...(source === undefined ? {} : { title: source.label }),
      ...(business.includes(mode) ? {} : { homesOnly: true }),
    });
  });
}

export const MusicSchema = Type.Object(
  {
    // Every setting a registered source brings (`local`, `spotify`, `mixed`), as one literal each,
    // with the source's name (`title`) on its own, and `homesOnly` where a business may not choose it.
    source: Type.Union(sourceChoices() as [TLiteral<MusicSourceMode>, ...Array<TLiteral<MusicSourceMode>>], {
      default: 'local',
      description:
        '`local` plays the library; `spotify` plays the Spotify playlists mapped to moods (the library while Spotify fails); `mixed` plays Spotify for moods with a mapped playlist and the library for the rest. Only `local` at a business.',
    }),
    youtube: Type.Boolean({
      default: false,
      description:
        'YouTube videos and playlists may be stations of the library (played through yt-dlp, which must be installed: `sudo apt install yt-dlp`). Homes only.',
    }),
    explicit: Type.Union([Type.Literal('play'), Type.Literal('skip')], {
      default: 'play',
      description:
        'Songs whose tags mark them explicit (the iTunes content advisory of MP3, MP4, FLAC and Ogg files): `play`, or `skip`: the music never picks them and guests cannot ask for them.',
    }),
    allowPrivateStations: Type.Boolean({
      default: false,
      description:
        'Allow stations on this box or its local network: loopback, private and link-local addresses, and names that resolve to them. Off: only stations on the internet. On, a station (or a music folder’s `stations.csv`) can reach the devices of this network.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);

export const SpotifySchema = Type.Object(
  {
    clientId: Type.String({
      default: '',
      description: 'The Client ID of your own Spotify app (developer.spotify.com); empty: Spotify is off. Homes only.',
      requiresRestart: true,
    }),
    redirectUri: Type.String({
      default: '',
      description:
        'Where Spotify sends the browser back after the sign-in, as registered with the app; empty: http://127.0.0.1:<server.port>/api/spotify/callback.',
      requiresRestart: true,
    }),
    accountsUrl: Type.String({
      default: 'https://accounts.spotify.com',
      minLength: 1,
      description: "Spotify's accounts service.",
      requiresRestart: true,
      fileOnly: true,
    }),
    apiUrl: Type.String({
      default: 'https://api.spotify.com',
      minLength: 1,
      description: "Spotify's Web API.",
      requiresRestart: true,
      fileOnly: true,
    }),
    pollMs: Type.Integer({
      default: 1000,
      minimum: 500,
      maximum: 10000,
      description: 'How often what Spotify plays is read while it plays (ms); a rate limit makes it wait longer.',
      requiresRestart: true,
    }),
  },
  { additionalProperties: false, default: {} },
);
