import { MPV_YTDL_ARGS } from '../streams/stream-url.js';

/** What mpv is started with, besides its socket. */
export interface MpvLaunch {
  /** The station guard's Lua script, once written. */
  guardPath: string | undefined;
  allowPrivateStations: boolean;
  isGapless: boolean;
  replayGain: 'track' | 'album' | 'no';
  /** The volume of the moment, 0–100. */
  volume: number;
  /** `auto` (mpv's default device) or any mpv `--ao` value. */
  audioOutput: string;
  extraArgs: readonly string[];
}

/** mpv's arguments at a launch (`MpvProcess` adds the socket). */
export function mpvArgs(launch: MpvLaunch): string[] {
  return [
    '--no-video',
    '--no-config',
    '--no-terminal',
    '--audio-display=no',
    ...MPV_YTDL_ARGS,
    ...(launch.guardPath === undefined ? [] : [`--script=${launch.guardPath}`]),
    ...(launch.allowPrivateStations ? ['--script-opts-append=moodbox_guard-private=yes'] : []),
    `--gapless-audio=${launch.isGapless ? 'yes' : 'no'}`,
    `--replaygain=${launch.replayGain}`,
    '--volume-max=100',
    `--volume=${launch.volume}`,
    ...(launch.audioOutput === 'auto' ? [] : [`--ao=${launch.audioOutput}`]),
    ...launch.extraArgs,
  ];
}
