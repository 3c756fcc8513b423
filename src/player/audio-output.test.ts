import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAudioOutput } from './audio-output.js';

describe('resolveAudioOutput', () => {
  it('keeps an explicit output, and turns auto into null only when there is no sound device or server', () => {
    const dev = mkdtempSync(join(tmpdir(), 'moodbox-dev-'));
    expect(resolveAudioOutput('pcm', {}, dev)).toBe('pcm');
    expect(resolveAudioOutput('auto', {}, dev)).toBe('null');
    mkdirSync(join(dev, 'snd'));
    writeFileSync(join(dev, 'snd', 'pcmC0D0c'), '');
    expect(resolveAudioOutput('auto', {}, dev)).toBe('null');
    writeFileSync(join(dev, 'snd', 'pcmC0D0p'), '');
    expect(resolveAudioOutput('auto', {}, dev)).toBe('auto');
    const runtime = mkdtempSync(join(tmpdir(), 'moodbox-run-'));
    mkdirSync(join(runtime, 'pulse'));
    writeFileSync(join(runtime, 'pulse', 'native'), '');
    expect(resolveAudioOutput('auto', { XDG_RUNTIME_DIR: runtime }, join(dev, 'none'))).toBe('auto');
    rmSync(dev, { recursive: true });
    rmSync(runtime, { recursive: true });
  });
});
