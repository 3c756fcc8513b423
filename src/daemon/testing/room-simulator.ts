import { seededRandom, type Random } from '../../kernel/random.js';
import { EMOTIONS, emotionScores, NOBODY, type Emotion, type EmotionScores, type RoomMood } from '../../kernel/room-mood.js';
import { DEFAULT_EMOTION_MOODS, DEFAULT_MOOD_COORDINATES, moodsForEmotions } from '../../player/moods.js';
import { MoodTracker, type FaceReading, type MoodTrackerOptions } from '../../vision/mood-tracker.js';
import { ReadPacer, type ReadPaceOptions } from '../../vision/read-pace.js';
import { loadConfig } from '../config/load-config.js';
import type { PlayerSettings } from '../music/music-director.js';
import { directorHarness, type DirectorHarness } from './director-harness.js';

/**
 * The room simulator: a scripted day of a room (people arriving and leaving, a table laughing, a
 * quiet hour, a sudden crowd) read by the real mood tracker and played to by the real music
 * director, on a fake clock, a fake player that plays each song for its length, and a real SQLite
 * library. It measures what a guest hears: songs cut, how soon the music fits a lasting change,
 * and how much of the time the music fits the room.
 */

/** How each face in a group tends to look: probabilities per emotion (normalised when read). */
export type Expression = Partial<Record<Emotion, number>>;

/** Faces that look alike (a table, a queue): `faces` of them, each read with `expression` and some noise. */
export interface FaceGroup {
  faces: number;
  expression: Expression;
}

/** A stretch of the day: these groups for `s` seconds (no group: nobody there). */
export interface Scene {
  s: number;
  groups: readonly FaceGroup[];
  /** What happens, in words (for the report). */
  what?: string;
}

export interface RoomTrace {
  name: string;
  /** Local time of day the trace starts at (UTC on the fake clock), e.g. `07:00`. */
  opens: string;
  scenes: readonly Scene[];
}

/** A library the director picks from: `perMood` songs for each built-in mood, 2½ to 5½ minutes long. */
export interface SimulatedLibrary {
  perMood: number;
  seed: number;
}

export interface SimulationOptions {
  /** The player settings besides the shipped ones (the transitions under test). */
  player?: Partial<PlayerSettings>;
  /** The mood tracker's options besides the shipped `mood.*` settings. */
  mood?: MoodTrackerOptions;
  library?: SimulatedLibrary;
  /** Seeds the faces' noise. @default 1 */
  seed?: number;
  /** A scene change after which the room stays at least this long counts as lasting (ms). @default 300000 */
  lastingMs?: number;
  /** How often the camera's readings reach the tracker (ms): the analysed frames. @default 500 */
  frameMs?: number;
  /**
   * Faces read at a pace rather than in every frame, by the vision loop's rule (`ReadPacer` in
   * `src/vision/read-pace.ts`): a new face at once, a steady one every `steadyMs` (every
   * `contestedMs` while the room's mood is contested), and, when `seesChange`, a face whose
   * expression changed at once (the crop's change was seen); without it, a change waits for the
   * face's next paced read.
   */
  readPace?: ReadPaceOptions & { seesChange: boolean };
}

/** One song as it played. */
export interface SimulatedPlay {
  trackId: number;
  mood: string;
  startedAt: number;
  endedAt: number | null;
  outcome: string | null;
  /** For a cut: the volumes the player was set to during the song, with when (clock ms); the fade is their end. */
  fade: Array<{ at: number; volume: number }>;
}

export interface SimulationReport {
  trace: string;
  hours: number;
  songs: number;
  /** Songs faded out for the room before their end. */
  cuts: number;
  cutsPerHour: number;
  /** Cuts of a song in its first 60 s. */
  cutsInFirstMinute: number;
  /** The room mood as the tracker read it: how often it changed. */
  moodChanges: number;
  /** Lasting changes of the room that the song playing did not fit. */
  lastingChanges: number;
  /** From each of those changes to a fitting song playing (s); NaN when the room changed again (or emptied) first. */
  toFitS: number[];
  /** Each of those changes: when (clock ms), the scene, the room's top mood, the seconds to fitting music and the songs started meanwhile. */
  changes: Array<{ at: number; what: string; top: string; toFitS: number; songs: number }>;
  medianToFitS: number;
  /** Changes fitted by the song after the one playing (or by that one, cut), at the latest. */
  withinOneSong: number;
  /** Share of the time someone was there that the song playing fitted them (0–1). */
  fitShare: number;
  /**
   * The mood's lag: from each scene whose faces' top emotion differs from the scene before's to the
   * room mood becoming that emotion (s); NaN when it did not within the scene.
   */
  moodLagS: number[];
  /** Faces read over faces seen in the analysed frames (1 when every face is read in every frame). */
  readShare: number;
  plays: SimulatedPlay[];
}

/** How often the camera's readings reach the tracker in the simulation (ms): 2 a second. */
const FRAME_MS = 500;
/** The fake clock's step (ms): fine enough for the fades' 100 ms steps. */
const TICK_MS = 100;
/** A mood weight at least this large in the room's mix makes a song of that mood fit (the director's own rule). */
const FITTING_WEIGHT = 0.25;
/**
 * How much each reading of a face wavers: each emotion's share is scaled by 1 ± this (uniform)
 * and gets up to 0.02 of stray probability, as a softmax's small outputs, before normalising.
 */
const READING_NOISE = 0.5;
/** A face's width in the simulated camera (px): all alike, so each weighs the same. */
const FACE_PX = 40;

/** The moods a room of these faces fits (the director's rule: weight ≥ 0.25 in the mix, or the heaviest). */
export function fittingMoods(groups: readonly FaceGroup[]): Set<string> {
  const mix = moodsForEmotions(roomExpression(groups), DEFAULT_EMOTION_MOODS);
  const entries = Object.entries(mix).sort((a, b) => b[1] - a[1]);
  return new Set(entries.filter(([, w], i) => i === 0 || w >= FITTING_WEIGHT).map(([m]) => m));
}

/** The heaviest mood of a room of these faces, or null when nobody is there. */
export function topMood(groups: readonly FaceGroup[]): string | null {
  const mix = moodsForEmotions(roomExpression(groups), DEFAULT_EMOTION_MOODS);
  return Object.entries(mix).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The room's expression: the faces' expressions, each normalised, averaged face by face. */
export function roomExpression(groups: readonly FaceGroup[]): EmotionScores {
  const out: Partial<Record<Emotion, number>> = {};
  let faces = 0;
  for (const group of groups) {
    const total = Object.values(group.expression).reduce((a, b) => a + b, 0);
    for (const emotion of EMOTIONS) out[emotion] = (out[emotion] ?? 0) + (group.faces * (group.expression[emotion] ?? 0)) / total;
    faces += group.faces;
  }
  if (faces > 0) for (const emotion of EMOTIONS) out[emotion] = (out[emotion] ?? 0) / faces;
  return out;
}

/** Seeds a library of `perMood` songs for each built-in mood, tagged by the admin, each 2½ to 5½ minutes. */
export function seedSimulatedLibrary(h: DirectorHarness<string>, library: SimulatedLibrary): Map<number, string> {
  const random = seededRandom(library.seed);
  const moodOf = new Map<number, string>();
  for (const mood of Object.keys(DEFAULT_MOOD_COORDINATES)) {
    for (let i = 1; i <= library.perMood; i++) {
      const durationMs = Math.round(150_000 + random.next() * 180_000);
      const track = h.store.tracks.upsert({
        uri: `/music/${mood}-${i}.flac`,
        title: `${mood} ${i}`,
        artist: `${mood} artist ${i}`,
        durationMs,
      });
      h.store.tracks.setMoods(track.id, [{ mood, weight: 1, origin: 'admin' }]);
      moodOf.set(track.id, mood);
    }
  }
  return moodOf;
}

/**
 * Runs `trace` through the real mood tracker and music director in accelerated time and reports
 * what was heard. Deterministic for its seeds.
 */
export async function simulateRoom(trace: RoomTrace, options: SimulationOptions = {}): Promise<SimulationReport> {
  const [hh, mm] = trace.opens.split(':').map(Number);
  const opens = Date.UTC(2026, 5, 1, hh ?? 7, mm ?? 0);
  const h = await directorHarness({
    moods: [] as string[],
    tracks: false,
    start: opens,
    trackDurations: true,
    settings: shipped(options.player),
  });
  try {
    const moodOf = seedSimulatedLibrary(h, options.library ?? { perMood: 8, seed: 3 });
    const plays = recordPlays(h, moodOf);
    await h.settle(h.director.libraryChanged());
    const shippedMood = loadConfig({ env: {} }).config.mood;
    const tracker = new MoodTracker(
      { clock: h.clock },
      {
        dwellMs: shippedMood.dwellMs,
        nobodyAfterMs: shippedMood.nobodyAfterMs,
        minConfidence: shippedMood.minConfidence,
        ...options.mood,
      },
    );
    const random = seededRandom(options.seed ?? 1);
    const lastingMs = options.lastingMs ?? 300_000;

    let moodChanges = 0;
    let occupiedMs = 0;
    let fittingMs = 0;
    const changes: SimulationReport['changes'] = [];
    const lasting = lastingChanges(trace.scenes, lastingMs);
    /** The lasting change the music has not fitted yet, and the songs started before it. */
    let open: { change: SimulationReport['changes'][number]; startsBefore: number } | undefined;
    let faceIds: number[] = [];
    let nextFaceId = 1;
    let nextFrameAt = h.clock.now();
    const frameMs = options.frameMs ?? FRAME_MS;
    /** Each face's last read: when, and the expression it then had. */
    const lastRead = new Map<number, { at: number; expression: Expression }>();
    let [facesSeen, facesRead] = [0, 0];
    const moodLagS: number[] = [];
    let previousTop: Emotion | null = null;
    const pacer = options.readPace === undefined ? undefined : new ReadPacer(options.readPace);
    const steadyMs = options.readPace?.steadyMs ?? 500;
    /** The room's mood was contested at the last frame: the pace reads every face meanwhile. */
    let contested = false;

    for (const [index, scene] of trace.scenes.entries()) {
      const sceneStart = h.clock.now();
      const fits = fittingMoods(scene.groups);
      const faces = scene.groups.reduce((n, g) => n + g.faces, 0);
      // People who stay keep their face tracks; newcomers get new ones.
      faceIds = faceIds.slice(0, faces);
      while (faceIds.length < faces) faceIds.push(nextFaceId++);
      const top = lasting.get(index);
      if (top !== undefined || faces === 0) open = undefined; // a new change, or nobody left to play to
      if (top !== undefined && !fits.has(moodOf.get(h.player.state().current?.track.id ?? -1) ?? '')) {
        const change = { at: sceneStart, what: scene.what ?? '', top, toFitS: Number.NaN, songs: 0 };
        changes.push(change);
        open = { change, startsBefore: plays.length };
      }

      const sceneEnd = sceneStart + scene.s * 1000;
      const topEmotion = faces === 0 ? null : topOf(roomExpression(scene.groups));
      let lag = topEmotion !== null && topEmotion !== previousTop ? { since: sceneStart, to: topEmotion } : undefined;
      previousTop = topEmotion;
      while (h.clock.now() < sceneEnd) {
        if (h.clock.now() >= nextFrameAt) {
          nextFrameAt += frameMs;
          const now = h.clock.now();
          const all = readings(scene.groups, faceIds, random);
          const expressions = faceExpressions(scene.groups);
          const pace = options.readPace;
          const isRead = all.map(({ trackId }, i) => {
            const last = lastRead.get(trackId);
            if (pace === undefined || pacer === undefined || last === undefined || pacer.isDueAfter(last.at, now, { contested }))
              return true;
            return pace.seesChange && last.expression !== expressions[i];
          });
          all.forEach(({ trackId }, i) => {
            if (isRead[i] !== true) return;
            // The faces' paced reads spread over the interval, as faces found at different moments:
            // a face's first read counts as made up to `steadyMs` earlier, so a change lands anywhere between two reads.
            const phase =
              lastRead.has(trackId) || pace === undefined ? 0 : Math.floor(((trackId * 0.618) % 1) * (steadyMs / frameMs)) * frameMs;
            lastRead.set(trackId, { at: now - phase, expression: expressions[i] ?? {} });
          });
          facesSeen += all.length;
          facesRead += isRead.filter(Boolean).length;
          const present = all.filter((_, i) => isRead[i] !== true).map((r) => r.trackId);
          const update = tracker.update(
            all.filter((_, i) => isRead[i] === true),
            { present },
          );
          contested = update.contested;
          if (lag !== undefined && update.mood === lag.to) {
            moodLagS.push((now - lag.since) / 1000);
            lag = undefined;
          }
          if (update.changed) {
            moodChanges += 1;
            const mood: RoomMood = {
              label: update.mood,
              scores: emotionScores(update.scores),
              faces: update.faces,
              confidence: update.mood === NOBODY ? 0 : (update.scores[update.mood] ?? 0),
              since: update.since,
            };
            h.bus.emit('roomMoodChanged', { mood, previous: null });
          }
        }
        h.clock.advance(TICK_MS);
        await new Promise((resolve) => setImmediate(resolve));
        const isFitting = fits.has(moodOf.get(h.player.state().current?.track.id ?? -1) ?? '');
        if (faces > 0) {
          occupiedMs += TICK_MS;
          if (isFitting) fittingMs += TICK_MS;
        }
        if (open !== undefined && isFitting) {
          open.change.toFitS = (h.clock.now() - open.change.at) / 1000;
          open.change.songs = plays.length - open.startsBefore;
          open = undefined;
        }
      }
      if (lag !== undefined) moodLagS.push(Number.NaN);
    }

    const hours = trace.scenes.reduce((s, scene) => s + scene.s, 0) / 3600;
    const cuts = plays.filter((p) => p.outcome === 'switched');
    return {
      trace: trace.name,
      hours,
      songs: plays.length,
      cuts: cuts.length,
      cutsPerHour: cuts.length / hours,
      cutsInFirstMinute: cuts.filter((p) => (p.endedAt ?? 0) - p.startedAt < 60_000).length,
      moodChanges,
      moodLagS,
      readShare: facesSeen === 0 ? 1 : facesRead / facesSeen,
      lastingChanges: changes.length,
      toFitS: changes.map((c) => c.toFitS),
      changes,
      medianToFitS: median(changes.map((c) => c.toFitS)),
      withinOneSong: changes.filter((c) => Number.isFinite(c.toFitS) && c.songs <= 1).length,
      fitShare: occupiedMs === 0 ? 1 : fittingMs / occupiedMs,
      plays,
    };
  } finally {
    await h.close();
  }
}

/** The shipped player settings with `overrides`: what a box as delivered does (the harness's own defaults switch at once). */
function shipped(overrides: Partial<PlayerSettings> = {}): Partial<PlayerSettings> {
  const player = loadConfig({ env: {} }).config.player;
  return { transitions: player.transitions, idle: player.idle, ...overrides };
}

/** Every play as it starts and ends, and the volumes set between a cut's start and the next song. */
function recordPlays(h: DirectorHarness<string>, moodOf: ReadonlyMap<number, string>): SimulatedPlay[] {
  const plays: SimulatedPlay[] = [];
  let volumes: SimulatedPlay['fade'] = [];
  h.player.events.on('volumeChanged', ({ volume }) => volumes.push({ at: h.clock.now(), volume }), 'room simulator');
  h.player.events.on(
    'trackStarted',
    ({ item }) => {
      plays.push({
        trackId: item.track.id,
        mood: moodOf.get(item.track.id) ?? '',
        startedAt: h.clock.now(),
        endedAt: null,
        outcome: null,
        fade: [],
      });
      volumes = [];
    },
    'room simulator',
  );
  h.player.events.on(
    'trackEnded',
    ({ item, outcome }) => {
      const play = plays.findLast((p) => p.trackId === item.track.id && p.endedAt === null);
      if (play === undefined) return;
      play.endedAt = h.clock.now();
      play.outcome = outcome;
      if (outcome === 'switched') play.fade = volumes;
    },
    'room simulator',
  );
  return plays;
}

/** The emotion with the largest share of `scores`. */
function topOf(scores: EmotionScores): Emotion {
  return EMOTIONS.reduce((best, e) => ((scores[e] ?? 0) > (scores[best] ?? 0) ? e : best), EMOTIONS[0]);
}

/** Each face's expression, in the order of `readings`. */
function faceExpressions(groups: readonly FaceGroup[]): Expression[] {
  return groups.flatMap((group) => Array.from({ length: group.faces }, () => group.expression));
}

/** One frame's readings: each face its group's expression with fresh noise. */
function readings(groups: readonly FaceGroup[], faceIds: readonly number[], random: Random): FaceReading[] {
  const out: FaceReading[] = [];
  let i = 0;
  for (const group of groups) {
    for (let f = 0; f < group.faces; f++) {
      const raw = EMOTIONS.map((e) => (group.expression[e] ?? 0) * (1 + READING_NOISE * (2 * random.next() - 1)) + 0.02 * random.next());
      const total = raw.reduce((a, b) => a + b, 0);
      const probabilities = Object.fromEntries(EMOTIONS.map((e, k) => [e, (raw[k] ?? 0) / total]));
      out.push({ trackId: faceIds[i++] ?? 0, size: FACE_PX, probabilities });
    }
  }
  return out;
}

/**
 * The scenes that begin a lasting change, with the room's new top mood: the top mood differs from
 * that of the last lasting stretch, and the scenes in a row with this top mood last `lastingMs` or more.
 */
function lastingChanges(scenes: readonly Scene[], lastingMs: number): Map<number, string> {
  const tops = scenes.map((scene) => topMood(scene.groups));
  const out = new Map<number, string>();
  let settled = tops[0] ?? null;
  for (let i = 0; i < scenes.length; i++) {
    const top = tops[i] ?? null;
    if (top === null || (i > 0 && tops[i - 1] === top)) continue;
    let runMs = 0;
    for (let j = i; j < scenes.length && tops[j] === top; j++) runMs += (scenes[j]?.s ?? 0) * 1000;
    if (runMs < lastingMs) continue;
    if (top !== settled) out.set(i, top);
    settled = top;
  }
  return out;
}

/** The median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
