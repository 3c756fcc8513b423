/**
 * The demo pieces' covers: a pattern in the mood's colours, drawn from the title, and the Vorbis
 * comment that carries it as the front cover. scripts/make-demo-music.ts tags each piece with it.
 */
import { PNG } from 'pngjs';
import { moodColour } from '../src/ui/components/mood-colours.js';
import { type DEMO_PIECES, STYLES } from './demo-music-pieces.js';
import { hash, seeded } from './demo-music-voices.js';

function rgb(colour: string): [number, number, number] {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A 320×320 PNG: rings, stripes or tiles in the mood's colour and its partner's, from the title. */
export function coverPng(piece: (typeof DEMO_PIECES)[number]): Buffer {
  const size = 320;
  const random = seeded(hash(piece.title));
  const [a, b] = [rgb(moodColour(piece.mood)), rgb(moodColour(STYLES[piece.mood].also[0]))];
  const dark: [number, number, number] = [13, 17, 23];
  const kind = hash(piece.file) % 3;
  const cx = size * (0.3 + random() * 0.4);
  const cy = size * (0.3 + random() * 0.4);
  const period = 18 + Math.floor(random() * 24);
  const angle = random() * Math.PI;
  const png = new PNG({ width: size, height: size, colorType: 2 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let t: number;
      if (kind === 0) t = Math.hypot(x - cx, y - cy) / period;
      else if (kind === 1) t = (x * Math.cos(angle) + y * Math.sin(angle)) / period;
      else t = (Math.floor(x / (period * 1.5)) + Math.floor(y / (period * 1.5))) / 2 + Math.hypot(x - cx, y - cy) / (size * 1.2);
      const band = Math.floor(t) % 3;
      const shade = 0.55 + 0.45 * (1 - Math.hypot(x - cx, y - cy) / (size * 1.1));
      const base = band === 0 ? a : band === 1 ? b : dark;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) png.data[o + c] = Math.round((base[c] ?? 0) * Math.max(0.2, Math.min(1, shade)));
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 9 });
}

/** A Vorbis comment carrying a front cover (the FLAC picture block, base64). */
export function pictureComment(png: Buffer): string {
  const mime = Buffer.from('image/png');
  const head = Buffer.alloc(32 + mime.length);
  let o = 0;
  o = head.writeUInt32BE(3, o); // front cover
  o = head.writeUInt32BE(mime.length, o);
  o += mime.copy(head, o);
  o = head.writeUInt32BE(0, o); // no description
  o = head.writeUInt32BE(320, o);
  o = head.writeUInt32BE(320, o);
  o = head.writeUInt32BE(24, o);
  o = head.writeUInt32BE(0, o);
  head.writeUInt32BE(png.length, o);
  return `METADATA_BLOCK_PICTURE=${Buffer.concat([head, png]).toString('base64')}`;
}
