/**
 * Offline evaluation of the learned taste: simulated listeners with hidden preferences (artists,
 * languages, calm or lively music by part of the day) over a made-up library, each listening to
 * sessions of songs picked by today's fixed weights or by the fixed weights re-weighted by what was
 * learned. Prints the skip and like rates per block of sessions (the learning curve) and how many
 * sessions the learned ranker needs to beat the fixed weights. Seeded: the same run gives the same figures.
 *
 * Run: node --import tsx scripts/eval-taste.ts [listeners=40] [sessions=100] [playsPerSession=8] [seed=1]
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { seededRandom, type Random } from '../src/kernel/random.js';
import { DEFAULT_MOOD_COORDINATES, DEFAULT_MOODS } from '../src/player/moods.js';
import { Recommender, type HistoryEntry } from '../src/player/recommender.js';
import { daypartOf, DAYPARTS, tasteFeatures, trackTaste, type Daypart } from '../src/player/taste/features.js';
import { emptyModel, learn, type TasteModel } from '../src/player/taste/logistic.js';
import { syntheticLibrary } from '../src/player/testing/synthetic-library.js';
import { TrackIndex } from '../src/player/track-index.js';

const [listeners = 40, sessions = 100, playsPerSession = 8, seed = 1] = process.argv.slice(2).map(Number);
const BLOCK = 5;
/** The hour each session starts at, by part of the day (local time). */
const HOURS: Record<Daypart, number> = { night: 23, morning: 8, afternoon: 14, evening: 20 };

const library = syntheticLibrary({ tracks: 2000, seed });
const byId = new Map(library.map((t) => [t.id, t]));
const index = new TrackIndex(library);
const artists = [...new Set(library.map((t) => t.artist.toLowerCase()))];
const languages = [...new Set(library.map((t) => t.language))];

interface Listener {
  artist: Map<string, number>;
  language: Map<string, number>;
  energy: Record<Daypart, number>;
}

/** Hidden preferences: a few loved and a few disliked artists, a favourite and a disliked language, calm or lively by part of the day. */
function makeListener(random: Random): Listener {
  const artist = new Map<string, number>();
  for (const a of artists) {
    const r = random.next();
    artist.set(a, r < 0.15 ? 1.6 : r < 0.35 ? -1.6 : (random.next() - 0.5) * 0.6);
  }
  const language = new Map<string, number>(languages.map((l) => [l, 0]));
  const shuffled = [...languages].sort(() => random.next() - 0.5);
  language.set(shuffled[0] ?? '', 0.8);
  language.set(shuffled[1] ?? '', -0.8);
  const energy = Object.fromEntries(DAYPARTS.map((d) => [d, (random.next() - 0.5) * 2])) as Record<Daypart, number>;
  return { artist, language, energy };
}

/** The listener's hidden liking of a track at a part of the day (log-odds of finishing it). */
function utility(listener: Listener, trackId: number, daypart: Daypart): number {
  const track = byId.get(trackId);
  if (!track) return 0;
  const { energy } = trackTaste(track, null, DEFAULT_MOOD_COORDINATES);
  return (
    0.4 +
    (listener.artist.get(track.artist.toLowerCase()) ?? 0) +
    (listener.language.get(track.language) ?? 0) +
    listener.energy[daypart] * energy
  );
}

interface Tally {
  plays: number[];
  skips: number[];
  likes: number[];
}

function simulate(useLearned: boolean): Tally {
  const blocks = Math.ceil(sessions / BLOCK);
  const tally: Tally = {
    plays: new Array<number>(blocks).fill(0),
    skips: new Array<number>(blocks).fill(0),
    likes: new Array<number>(blocks).fill(0),
  };
  const recommender = new Recommender(index);
  for (let l = 0; l < listeners; l++) {
    // The same listener, the same moods and hours, and the same dice for both rankers.
    const listener = makeListener(seededRandom(seed * 1000 + l));
    const world = seededRandom(seed * 7919 + l);
    const dice = seededRandom(seed * 104_729 + l);
    const picks = seededRandom(seed * 15_485_863 + l);
    const liked = new Set<number>();
    const skipped = new Set<number>();
    const history: HistoryEntry[] = [];
    const person: TasteModel = emptyModel();
    const room: TasteModel = emptyModel();
    for (let s = 0; s < sessions; s++) {
      const daypart = DAYPARTS[world.int(DAYPARTS.length)] ?? 'afternoon';
      const mood = DEFAULT_MOODS[world.int(DEFAULT_MOODS.length)] ?? 'calm';
      let now = new Date(2026, 0, 1 + s, HOURS[daypart]).getTime();
      for (let p = 0; p < playsPerSession; p++) {
        const pick = recommender.recommend(
          {
            mood,
            listener: { likedTrackIds: [...liked], skippedTrackIds: [...skipped] },
            history,
            now,
            suggestions: 0,
            ...(useLearned ? { learned: { person, room } } : {}),
          },
          picks,
        ).next;
        if (!pick) break;
        const u = utility(listener, pick.trackId, daypartOf(now));
        const finished = dice.next() < 1 / (1 + Math.exp(-u));
        const likes = finished && dice.next() < 1 / (1 + Math.exp(-(u - 2)));
        const block = Math.floor(s / BLOCK);
        tally.plays[block] = (tally.plays[block] ?? 0) + 1;
        if (!finished) tally.skips[block] = (tally.skips[block] ?? 0) + 1;
        if (likes) tally.likes[block] = (tally.likes[block] ?? 0) + 1;
        if (useLearned) {
          // What the daemon's learner does with each play that ends (taste-learner.ts).
          const track = byId.get(pick.trackId);
          if (track) {
            const features = tasteFeatures({
              ...trackTaste(track, mood),
              liked: liked.has(pick.trackId),
              skipped: skipped.has(pick.trackId),
              heard: history.some((h) => h.trackId === pick.trackId),
              daypart: daypartOf(now),
            });
            const [label, weight] = likes ? ([1, 2] as const) : finished ? ([1, 1] as const) : ([0, 1] as const);
            learn(person, features, label, weight);
            learn(room, features, label, weight);
          }
        }
        if (likes) liked.add(pick.trackId);
        if (!finished) skipped.add(pick.trackId);
        history.unshift({ trackId: pick.trackId, startedAt: now, outcome: finished ? 'completed' : 'skipped' });
        if (history.length > 100) history.pop();
        now += 4 * 60_000;
      }
    }
  }
  return tally;
}

const started = performance.now();
const fixed = simulate(false);
const learned = simulate(true);
const seconds = (performance.now() - started) / 1000;

const pct = (n: number, d: number): string => `${((100 * n) / Math.max(d, 1)).toFixed(1)}%`.padStart(6);
console.log(
  `Taste evaluation: ${listeners} listeners × ${sessions} sessions × ${playsPerSession} songs (${listeners * sessions} sessions per ranker), 2000 tracks, seed ${seed}`,
);
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores); ${seconds.toFixed(1)} s for both rankers\n`);
console.log('sessions   skip: fixed  learned   like: fixed  learned');
let beatsFrom: number | undefined;
for (let b = 0; b < fixed.plays.length; b++) {
  const fp = fixed.plays[b] ?? 0;
  const lp = learned.plays[b] ?? 0;
  const fSkip = (fixed.skips[b] ?? 0) / Math.max(fp, 1);
  const lSkip = (learned.skips[b] ?? 0) / Math.max(lp, 1);
  const fLike = (fixed.likes[b] ?? 0) / Math.max(fp, 1);
  const lLike = (learned.likes[b] ?? 0) / Math.max(lp, 1);
  const range = `${b * BLOCK + 1}–${Math.min((b + 1) * BLOCK, sessions)}`.padEnd(9);
  console.log(
    `${range}        ${pct(fixed.skips[b] ?? 0, fp)}   ${pct(learned.skips[b] ?? 0, lp)}         ${pct(fixed.likes[b] ?? 0, fp)}   ${pct(learned.likes[b] ?? 0, lp)}`,
  );
  const better = lSkip < fSkip && lLike > fLike;
  if (better && beatsFrom === undefined) beatsFrom = b;
  if (!better) beatsFrom = undefined;
}
const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
console.log(
  `\nall sessions: skip ${pct(sum(fixed.skips), sum(fixed.plays))} fixed vs ${pct(sum(learned.skips), sum(learned.plays))} learned; ` +
    `like ${pct(sum(fixed.likes), sum(fixed.plays))} fixed vs ${pct(sum(learned.likes), sum(learned.plays))} learned`,
);
console.log(
  beatsFrom === undefined
    ? 'the learned ranker does not beat the fixed weights on both skip and like rate by the last block'
    : `the learned ranker beats the fixed weights on both skip and like rate from session ${beatsFrom * BLOCK + 1} per listener on (every block after it too)`,
);
