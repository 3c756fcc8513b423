import { MPV_YTDL_ARGS } from '../streams/stream-url.js';

/** What mpv is started with, besides its socket. */
export interface MpvLaunch {
  /** The station guard's Lua script, once written. */
  guardPath: string | undefined;
  allowPrivateStations: boolean;
  /** The box's own addresses as the station guard reads them (`guardBoxAddresses`), when private stations are refused. */
  boxAddresses?: string | undefined;
  isGapless: boolean;
  replayGain: 'track' | 'album' | 'no';
  /** The volume of the moment, 0–100. */
  volume: number;
  /** `auto` (mpv's default device) or any mpv `--ao` value. */
  audioOutput: string;
  extraArgs: readonly string[];
}

/** How much of a stream mpv keeps ahead of and behind what plays (MiB). */
export const DEMUXER_AHEAD_MIB = 16;
export const DEMUXER_BEHIND_MIB = 2;

/** mpv's arguments at a launch (`MpvProcess` adds the socket). */
export function mpvArgs(launch: MpvLaunch): string[] {
  return [
    '--no-video',
    '--no-config',
    '--no-terminal',
    '--audio-display=no',
    // mpv's own limits (150 MiB ahead, 50 MiB behind) let a web radio or a streamed song hold
    // 70 MiB more than a file; 16 MiB ahead is a whole song, or minutes of a station.
    `--demuxer-max-bytes=${DEMUXER_AHEAD_MIB}MiB`,
    `--demuxer-max-back-bytes=${DEMUXER_BEHIND_MIB}MiB`,
    ...MPV_YTDL_ARGS,
    ...(launch.guardPath === undefined ? [] : [`--script=${launch.guardPath}`]),
    ...(launch.allowPrivateStations
      ? ['--script-opts-append=moodbox_guard-private=yes']
      : [
          ...(launch.boxAddresses === undefined || launch.boxAddresses === ''
            ? []
            : [`--script-opts-append=moodbox_guard-box=${launch.boxAddresses}`]),
          // A redirect would take mpv past the guard: stations are given their vetted URL, and playlist entries do not redirect.
          '--stream-lavf-o-append=max_redirects=0',
        ]),
    `--gapless-audio=${launch.isGapless ? 'yes' : 'no'}`,
    `--replaygain=${launch.replayGain}`,
    '--volume-max=100',
    `--volume=${launch.volume}`,
    ...(launch.audioOutput === 'auto' ? [] : [`--ao=${launch.audioOutput}`]),
    ...launch.extraArgs,
  ];
}
