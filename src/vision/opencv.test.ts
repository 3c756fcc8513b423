import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadOpencv } from './opencv.js';

describe('loadOpencv', () => {
  it('links core, imgproc and objdetect only: none of the video, image-file or window libraries (60 MiB resident)', async () => {
    const cv = await loadOpencv();
    expect(typeof cv.CascadeClassifier).toBe('function');
    const maps = readFileSync('/proc/self/maps', 'utf8');
    const loaded = [...new Set([...maps.matchAll(/libopencv_(\w+)\.so/g)].map((m) => m[1]))];
    expect(loaded).toEqual(expect.arrayContaining(['core', 'imgproc', 'objdetect']));
    expect(loaded.filter((name) => ['imgcodecs', 'videoio', 'highgui'].includes(name!))).toEqual([]);
    expect(maps).not.toMatch(/libQt|libgdal|libgstreamer|libavcodec/);
  });
});
