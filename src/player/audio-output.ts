import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * mpv's `--ao` for the configured output. `auto` keeps mpv's default device when the machine has
 * one (an ALSA playback device or a running PulseAudio/PipeWire server), else it is `null`, so that
 * playback still runs (silently) instead of failing on every file.
 */
export function resolveAudioOutput(setting: string, env: Readonly<Record<string, string | undefined>>, devDir = '/dev'): string {
  if (setting !== 'auto') return setting;
  let hasDevice = false;
  try {
    hasDevice = readdirSync(join(devDir, 'snd')).some((name) => /^pcmC\d+D\d+p$/.test(name));
  } catch {
    hasDevice = false;
  }
  const runtime = env['XDG_RUNTIME_DIR'];
  const hasServer = runtime !== undefined && (existsSync(join(runtime, 'pulse', 'native')) || existsSync(join(runtime, 'pipewire-0')));
  return hasDevice || hasServer ? 'auto' : 'null';
}
