import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../kernel/clock.js';
import { formatDetectorBench, headline, type DetectorBench } from './bench-command.js';
import { benchVision, formatBench, percentiles } from './bench.js';
import { cpuInfo, type CpuInfo } from '../cpu-info.js';
import { FER_LABELS } from '../fer-csv.js';
import { loadOpencv } from '../opencv.js';
import { stageEmotionModel } from '../testing/emotion-model.js';
import { FakeEmotionClassifier } from '../testing/fake-emotion-classifier.js';
import { FakeFaceDetector } from '../testing/fake-face-detector.js';
import { MOODBOX_CLI } from '../../daemon/testing/daemon-process.js';

describe('percentiles', () => {
  it('gives the median, the 95th percentile and the maximum', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ p50: 51, p95: 96, max: 100 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, max: 0 });
  });
});

describe('benchVision', () => {
  it('runs every scene through the pipeline and reports its figures', async () => {
    const cv = await loadOpencv();
    const detector = new FakeFaceDetector();
    detector.show([{ x: 100, y: 100, width: 120, height: 120 }]);
    const image = new cv.Mat(480, 640, cv.CV_8UC3, [100, 100, 100]);
    // A CPU clock that moves 3 ms between any two readings.
    let cpu = 0;
    const report = await benchVision(
      { detector, classifier: new FakeEmotionClassifier(FER_LABELS), clock: systemClock, cpuMs: () => (cpu += 3) },
      [{ name: 'blank', faces: 1, image }],
      { frames: 10 },
    );
    expect(report.scenes).toHaveLength(1);
    const [scene] = report.scenes;
    expect(scene).toMatchObject({ scene: 'blank', faces: 1, width: 640, height: 480, frames: 10, facesFound: 1 });
    // Full scans for the worst case, then the pipeline's own mix of full scans and tracked regions.
    expect(detector.calls.filter((c) => c.near === undefined).length).toBeGreaterThan(10);
    expect(detector.calls.some((c) => c.near !== undefined)).toBe(true);
    expect(scene!.sustainedFps).toBeGreaterThan(0);
    expect(report.rssMiB).toBeGreaterThan(0);
    expect(formatBench(report)).toContain('blank (1 face, 640x480)');
    // A full-scan frame (detection, crops, classification) is timed on the CPU clock too.
    expect(scene!.fullFrameCpuMs).toEqual({ p50: 3, p95: 3, max: 3 });
    expect(scene!.fullFrameMs.p50).toBeGreaterThanOrEqual(scene!.fullScanMs.p50);
    expect(formatBench(report)).toContain('whole frame with a full scan');
    // The still face is read at a lower pace as the daemon runs, and in every frame in the run beside it.
    expect(scene!.readShare).toBeLessThan(0.5);
    expect(scene!.frameEveryReadMs.p50).toBeGreaterThan(0);
    expect(formatBench(report)).toMatch(/faces read \d+% of frames\n {2}same, every face read every frame/);
  });
});

describe('headline', () => {
  it("puts the one-face full-scan frame's p50 and the labelled recall in one line", () => {
    const p = (p50: number): { p50: number; p95: number; max: number } => ({ p50, p95: p50 + 1, max: p50 + 2 });
    const scene = (name: string, faces: number, cpu: number): DetectorBench['scenes'][number] => ({
      scene: name,
      faces,
      width: 640,
      height: 480,
      frames: 10,
      detectMs: p(1),
      fullScanMs: p(4),
      classifyMs: p(1),
      frameMs: p(2),
      frameEveryReadMs: p(3),
      readShare: 0.2,
      fullFrameMs: p(cpu + 0.5),
      fullFrameCpuMs: p(cpu),
      sustainedFps: 30,
      facesFound: faces,
    });
    const report: DetectorBench = {
      detector: 'yunet',
      threads: 1,
      rssMiB: 200,
      scenes: [scene('group', 4, 12), scene('one face', 1, 5.25), scene('crowd', 20, 14.5)],
      labelled: {
        frames: 103,
        faces: 176,
        found: 164,
        recall: 164 / 176,
        falseFaces: 0,
        falseFacesPerFrame: 0,
        exactCount: 0.9,
        misses: [],
        bySize: [],
      },
      crowd: {
        frames: 60,
        faces: 200,
        found: 180,
        recall: 0.9,
        falseFaces: 3,
        falseFacesPerFrame: 0.05,
        exactCount: 0.5,
        misses: [],
        bySize: [
          { label: '14–24 px', from: 14, to: 24, faces: 100, found: 85, recall: 0.85 },
          { label: '>= 48 px', from: 48, to: Number.POSITIVE_INFINITY, faces: 100, found: 95, recall: 0.95 },
        ],
      },
      crowdByLight: [],
      readTwice: 0.25,
    };
    expect(formatDetectorBench(report)).toContain(
      "faces read twice (mirrored too, where the first read was unsure; a crowd's once): 25.0%",
    );
    expect(headline(report)).toBe(
      'yunet: one-face full-scan whole frame p50 5.25 ms CPU (5.75 ms wall), 20-face crowd full-scan whole frame p50 14.50 ms CPU (15.00 ms wall), ' +
        'recall 93.2% (164/176), crowd recall 14–24 px 85.0% / >= 48 px 95.0%, 0.050 false faces a frame',
    );
    expect(headline({ ...report, labelled: undefined, crowd: undefined })).toMatch(/recall not measured$/);
  });
});

describe('moodbox bench vision', () => {
  it('prints the figures as one JSON object', () => {
    const model = stageEmotionModel();
    if (model === undefined) throw new Error('no emotion model in models/');
    const result = spawnSync(
      process.execPath,
      [MOODBOX_CLI, 'bench', 'vision', '--json', '--frames', '10', '--labelled-frames', '10', '--crowd-frames', '4', '--model', model.path],
      {
        encoding: 'utf8',
        timeout: 170_000,
      },
    );
    model.cleanup();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { cpu, detectors } = JSON.parse(result.stdout) as { cpu: CpuInfo; detectors: DetectorBench[] };
    // The CPU the figures were measured on, as /proc/cpuinfo describes it (its kernels decide them).
    expect(cpu).toEqual(cpuInfo());
    // Both detectors side by side, each with its scenes and its score on the labelled frames.
    expect(detectors.map((d) => d.detector)).toEqual(['yunet', 'haar']);
    for (const report of detectors) {
      expect(report.threads).toBe(1);
      expect(report.scenes.map((s) => [s.scene, s.faces])).toEqual([
        ['one face', 1],
        ['group', 4],
        ['empty room', 0],
        ['crowd', 20],
      ]);
      expect(report.scenes.slice(0, 3).map((s) => s.facesFound)).toEqual([1, 4, 0]);
      for (const s of report.scenes) expect(Object.keys(s.frameMs)).toEqual(['p50', 'p95', 'max']);
      for (const s of report.scenes) expect(s.fullFrameCpuMs.p50).toBeGreaterThan(0);
      // Ten generated frames and the three fixture photos.
      expect(report.labelled).toMatchObject({ frames: 13 });
      expect(report.labelled?.faces).toBeGreaterThan(10);
    }
    expect(detectors[0]?.labelled?.recall).toBeGreaterThan(detectors[1]?.labelled?.recall ?? 1);
    // The crowd: recall by face size on four crowd frames, and the 20-face scene through the pipeline.
    const [yunet, haar] = detectors;
    expect(yunet?.crowd?.frames).toBe(4);
    expect(yunet?.crowd?.bySize.map((b) => b.label)).toEqual(['14–24 px', '24–32 px', '32–48 px', '>= 48 px']);
    expect(yunet?.crowd?.bySize[0]?.faces).toBeGreaterThan(5);
    expect(yunet?.crowd?.bySize[0]?.recall).toBeGreaterThan(haar?.crowd?.bySize[0]?.recall ?? 1);
    expect(yunet?.scenes.find((s) => s.scene === 'crowd')?.facesFound).toBeGreaterThanOrEqual(16);
    // The same crowd frames through a webcam in dim light: fewer faces found as the light falls (issue 56).
    expect(yunet?.crowdByLight.map((l) => [l.light, l.score.faces])).toEqual([
      [1, yunet?.crowd?.faces],
      [0.25, yunet?.crowd?.faces],
      [0.12, yunet?.crowd?.faces],
      [0.04, yunet?.crowd?.faces],
    ]);
    const recalls = yunet?.crowdByLight.map((l) => l.score.recall) ?? [];
    expect(recalls[3]).toBeLessThan(recalls[0] ?? 0);
    expect(recalls[1]).toBeGreaterThanOrEqual(recalls[3] ?? 1);
  }, 180_000);
});
