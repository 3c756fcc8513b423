import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * mpv's `--ao` for the configured output. `auto` keeps mpv's default device when the machine has
 * one (an ALSA playback device or a running PulseAudio/PipeWire server), else it is `null`, so that
 * playback still runs (silently) instead of failing on every file.
 */
export function resolveAudioOutput(setting: string, env: Readonly<Record<string, string | undefined>>, devDir = '/dev'): string {
  if (setting === SNAPCAST) return 'pcm';
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

/** `player.audioOutput` for multiroom: mpv writes raw PCM into a Snapcast server's pipe. */
export const SNAPCAST = 'snapcast';

/** snapserver's default pipe (`source = pipe:///tmp/snapfifo` in /etc/snapserver.conf). */
export const SNAPCAST_FIFO = '/tmp/snapfifo';

/**
 * The mpv options that go with an output: for `snapcast`, raw PCM in snapserver's default sample
 * format (48000:16:2) into its pipe, which paces mpv to real time. A `--ao-pcm-file=…` in
 * `player.mpvArgs` (they come after these) names another pipe. Other outputs need none.
 */
export function audioOutputArgs(setting: string): string[] {
  if (setting !== SNAPCAST) return [];
  return [
    `--ao-pcm-file=${SNAPCAST_FIFO}`,
    '--ao-pcm-waveheader=no',
    '--audio-format=s16',
    '--audio-samplerate=48000',
    '--audio-channels=stereo',
  ];
}
