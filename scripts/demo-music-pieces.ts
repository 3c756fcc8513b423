/**
 * The demo library's pieces: the style of each mood (genre, album, tempo, scale, chord progressions,
 * the second mood it carries) and the 24 pieces, four a mood, with their titles and artists.
 * scripts/make-demo-music.ts arranges and encodes them.
 */

export type Mood = 'calm' | 'mellow' | 'uplifting' | 'upbeat' | 'energetic' | 'power';

export interface MoodStyle {
  genre: string;
  album: string;
  /** Beats per minute, lowest and highest. */
  tempo: [number, number];
  scale: 'major' | 'minor' | 'dorian';
  /** Chord progressions as scale degrees (0 = the tonic), one chord a bar. */
  progressions: number[][];
  /** The second mood each piece also carries, with its weight. */
  also: [Mood, number];
}

export const STYLES: Record<Mood, MoodStyle> = {
  calm: {
    genre: 'Ambient',
    album: 'Quiet Hours',
    tempo: [66, 76],
    scale: 'major',
    progressions: [
      [0, 5, 3, 4],
      [0, 3, 0, 4],
      [0, 2, 5, 3],
    ],
    also: ['mellow', 0.3],
  },
  mellow: {
    genre: 'Lo-fi Jazz',
    album: 'After Rain',
    tempo: [78, 88],
    scale: 'dorian',
    progressions: [
      [1, 4, 0, 5],
      [0, 3, 1, 4],
      [5, 1, 4, 0],
    ],
    also: ['calm', 0.4],
  },
  uplifting: {
    genre: 'Indie Pop',
    album: 'Open Windows',
    tempo: [98, 108],
    scale: 'major',
    progressions: [
      [0, 4, 5, 3],
      [3, 0, 4, 5],
      [0, 3, 5, 4],
    ],
    also: ['upbeat', 0.3],
  },
  upbeat: {
    genre: 'Funk Pop',
    album: 'Saturday Market',
    tempo: [112, 122],
    scale: 'major',
    progressions: [
      [0, 3, 4, 3],
      [0, 5, 1, 4],
      [3, 4, 0, 0],
    ],
    also: ['uplifting', 0.5],
  },
  energetic: {
    genre: 'Electronic',
    album: 'Night Circuit',
    tempo: [126, 134],
    scale: 'minor',
    progressions: [
      [0, 5, 2, 6],
      [0, 0, 5, 6],
      [5, 6, 0, 0],
    ],
    also: ['upbeat', 0.4],
  },
  power: {
    genre: 'Rock',
    album: 'Iron and Stone',
    tempo: [142, 152],
    scale: 'minor',
    progressions: [
      [0, 5, 6, 0],
      [0, 2, 5, 4],
      [0, 6, 5, 6],
    ],
    also: ['energetic', 0.5],
  },
};

/** file | title | artist | mood: four a mood, in the order the sidecar lists them. */
export const DEMO_PIECES: ReadonlyArray<{ file: string; title: string; artist: string; mood: Mood }> = [
  { file: 'still-water.ogg', title: 'Still Water', artist: 'Lake Studio', mood: 'calm' },
  { file: 'morning-fog.ogg', title: 'Morning Fog', artist: 'Lake Studio', mood: 'calm' },
  { file: 'paper-boats.ogg', title: 'Paper Boats', artist: 'Harbour Lights', mood: 'calm' },
  { file: 'slow-tide.ogg', title: 'Slow Tide', artist: 'Harbour Lights', mood: 'calm' },
  { file: 'low-light.ogg', title: 'Low Light', artist: 'The Night Owls', mood: 'mellow' },
  { file: 'rain-on-the-window.ogg', title: 'Rain on the Window', artist: 'The Night Owls', mood: 'mellow' },
  { file: 'late-bus.ogg', title: 'Late Bus', artist: 'Velvet Corner', mood: 'mellow' },
  { file: 'blue-cardigan.ogg', title: 'Blue Cardigan', artist: 'Velvet Corner', mood: 'mellow' },
  { file: 'first-light.ogg', title: 'First Light', artist: 'Synthetic Sunrise', mood: 'uplifting' },
  { file: 'kite-season.ogg', title: 'Kite Season', artist: 'Synthetic Sunrise', mood: 'uplifting' },
  { file: 'green-lights-all-the-way.ogg', title: 'Green Lights All the Way Home', artist: 'Open Fields', mood: 'uplifting' },
  { file: 'paper-planes.ogg', title: 'Paper Planes', artist: 'Open Fields', mood: 'uplifting' },
  { file: 'morning-walk.ogg', title: 'Morning Walk', artist: 'The Lemon Trees', mood: 'upbeat' },
  { file: 'lemon-fizz.ogg', title: 'Lemon Fizz', artist: 'The Lemon Trees', mood: 'upbeat' },
  { file: 'sunday-market.ogg', title: 'Sunday Market', artist: 'Brass Bicycle', mood: 'upbeat' },
  { file: 'bicycle-bell.ogg', title: 'Bicycle Bell', artist: 'Brass Bicycle', mood: 'upbeat' },
  { file: 'fast-lane.ogg', title: 'Fast Lane', artist: 'Pulse Engine', mood: 'energetic' },
  { file: 'neon-runner.ogg', title: 'Neon Runner', artist: 'Pulse Engine', mood: 'energetic' },
  { file: 'night-shift.ogg', title: 'Night Shift', artist: 'Circuit Garden', mood: 'energetic' },
  { file: 'city-after-midnight.ogg', title: 'City After Midnight', artist: 'Circuit Garden', mood: 'energetic' },
  { file: 'iron-gate.ogg', title: 'Iron Gate', artist: 'Stone Giant', mood: 'power' },
  { file: 'black-anvil.ogg', title: 'Black Anvil', artist: 'Stone Giant', mood: 'power' },
  { file: 'storm-front.ogg', title: 'Storm Front', artist: 'The Granite Kings', mood: 'power' },
  { file: 'landslide-engine.ogg', title: 'Landslide Engine', artist: 'The Granite Kings', mood: 'power' },
];

/** Every piece lasts at least this long (s), whole bars. */
export const DEMO_MIN_SECONDS = 62;
