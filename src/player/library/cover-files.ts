import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Cover images come from files anyone with access to a music folder can drop there (a USB stick,
 * a share): they are untrusted. A cover is at most this large, and only a JPEG, PNG, WebP or GIF
 * by its own bytes, whatever its name or its tag claims.
 */
export const MAX_COVER_BYTES = 10 * 1024 * 1024;

/** The image formats a cover may have, by file extension. */
export type CoverType = 'jpg' | 'png' | 'webp' | 'gif';

/** The image type the bytes begin with (their magic number), or null when they are no image a cover may be. */
export function coverType(bytes: Uint8Array): CoverType | null {
  const at = (i: number, ...values: number[]): boolean => values.every((v, k) => bytes[i + k] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'gif';
  return null;
}

/** Why a file was not taken as a cover. */
export class CoverRefused extends Error {
  override readonly name = 'CoverRefused';
}

/**
 * Reads `path` as a cover image without following a link: the file itself must be a regular file
 * (not a link, a FIFO or a device), at most `maxBytes` long, and an image by its bytes. Never
 * reads more than `maxBytes + 1` bytes, however large the file claims or grows to be.
 */
export async function readCoverFile(path: string, maxBytes = MAX_COVER_BYTES): Promise<{ type: CoverType; data: Uint8Array }> {
  // O_NOFOLLOW: a link put in the image's place is refused (ELOOP); O_NONBLOCK: a FIFO does not hang the open.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP' ? new CoverRefused(`${path} is a link: covers are read only from the folder itself`) : err;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CoverRefused(`${path} is not a regular file`);
    if (info.size > maxBytes) throw new CoverRefused(`${path} is ${info.size} bytes, over the ${maxBytes}-byte limit for a cover`);
    const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw new CoverRefused(`${path} grew over the ${maxBytes}-byte limit for a cover`);
    const data = buffer.subarray(0, filled);
    const type = coverType(data);
    if (type === null) throw new CoverRefused(`${path} is not a JPEG, PNG, WebP or GIF image`);
    return { type, data };
  } finally {
    await handle.close();
  }
}
