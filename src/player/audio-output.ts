import { closeSync, constants, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
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

/** snapserver's default pipe (`source = pipe:///tmp/snapfifo` in /etc/snapserver.conf); `player.snapcastPipe` names another. */
export const SNAPCAST_FIFO = '/tmp/snapfifo';

/**
 * The mpv options that go with an output: for `snapcast`, raw PCM in snapserver's default sample
 * format (48000:16:2) into its pipe `pipe`, which paces mpv to real time. Other outputs need none.
 */
export function audioOutputArgs(setting: string, pipe: string = SNAPCAST_FIFO): string[] {
  if (setting !== SNAPCAST) return [];
  return [`--ao-pcm-file=${pipe}`, '--ao-pcm-waveheader=no', '--audio-format=s16', '--audio-samplerate=48000', '--audio-channels=stereo'];
}

/**
 * The pipe mpv writes into for `setting`: `pipe` (`player.snapcastPipe`) for `snapcast`, unless
 * `mpvArgs` names another with `--ao-pcm-file=` (the last one wins, as in mpv); undefined for other
 * outputs.
 */
export function snapcastPipe(setting: string, pipe: string, mpvArgs: readonly string[] = []): string | undefined {
  if (setting !== SNAPCAST) return undefined;
  const named = mpvArgs.filter((arg) => arg.startsWith('--ao-pcm-file=')).at(-1);
  return named === undefined ? pipe : named.slice('--ao-pcm-file='.length);
}

/**
 * Why mpv must not write into `path`, or undefined when it is a FIFO (a named pipe) that a Snapcast
 * server reads. mpv's PCM output creates a regular file where there is none and writes it as fast
 * as it decodes (hundreds of MB a minute), so anything but a FIFO is refused.
 */
/**
 * Whether a reader (snapserver) has the Snapcast pipe `path` open now: a write end opened without
 * blocking is refused (ENXIO) while nobody reads it, and the pipe may be gone (ENOENT).
 */
export function isSnapcastPipeRead(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws away what waits in the Snapcast pipe `path` (up to a pipe's capacity: a third of a second
 * at 48000:16:2). mpv taken down leaves there what snapserver had not read when it went away; a
 * snapserver that comes back would read it first, before the song resumes where it was heard.
 */
export function drainSnapcastPipe(path: string): void {
  let fd: number;
  try {
    if (!statSync(path).isFIFO()) return;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return;
  }
  try {
    const buffer = Buffer.alloc(65_536);
    // 0 once it is empty and nobody writes; EAGAIN (thrown) once it is empty and someone does.
    for (let reads = 0; reads < 64 && readSync(fd, buffer) > 0; reads++);
  } catch {
    // Empty.
  } finally {
    closeSync(fd);
  }
}

export function snapcastPipeProblem(path: string): string | undefined {
  const fix = 'create it with `mkfifo` (or let snapserver create it) and name the same pipe in snapserver.conf';
  try {
    const stat = statSync(path);
    if (stat.isFIFO()) return undefined;
    const kind = stat.isFile() ? 'a regular file' : stat.isDirectory() ? 'a folder' : 'not a pipe';
    return `the Snapcast pipe ${path} is ${kind}, not a FIFO: nothing plays until it is one (${fix})`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `the Snapcast pipe ${path} does not exist: nothing plays until it does (${fix})`;
    return `the Snapcast pipe ${path} cannot be checked (${code ?? (err as Error).message}): nothing plays until it can`;
  }
}
