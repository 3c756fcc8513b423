import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { isOnPath } from '../music/stations.js';
import { parseSourceSpec } from '../../vision/ffmpeg-frame-source.js';
import type { Check, DoctorEnv } from './doctor-check.js';

/** The device files in `devDir` whose names start with `prefix`, sorted. */
export function listDevices(devDir: string, prefix: string): string[] {
  try {
    return readdirSync(devDir)
      .filter((f) => f.startsWith(prefix))
      .map((f) => join(devDir, f))
      .sort();
  } catch {
    return [];
  }
}

/** Where the camera source came from: demo mode's default, a box's default (this machine's camera), or set (the file, the panel). */
export type CameraOrigin = 'demo mode' | 'default' | 'set';

/**
 * The camera as configured: the device there and open to this user, the file or pattern there, and
 * the program that reads it installed (ffmpeg; gst-launch-1.0 for a GStreamer pipeline). A source
 * that is a default is said to be one; the demo clip on a box with a file is a warning, as what it
 * shows is not the room.
 */
export function checkCamera(config: Config, ctx: DoctorEnv, origin: CameraOrigin = 'set'): Check {
  const check = checkSource(config, ctx, origin);
  if (!config.camera.enabled || check.status === 'fail') return check;
  const reader = readerOf(config.camera.source);
  if (isOnPath(reader.program, ctx.env)) return check;
  return {
    name: check.name,
    status: 'fail',
    message: `${check.message}, but it is read through ${reader.program}, which is not installed${reader.why}`,
    fix: `sudo apt install ${reader.packages}`,
  };
}

/** The program that decodes a camera source for the daemon, and the Debian packages that bring it. */
function readerOf(source: string): { program: string; packages: string; why: string } {
  if (source !== 'demo' && parseSourceSpec(source).kind === 'gstreamer') {
    return { program: 'gst-launch-1.0', packages: 'gstreamer1.0-tools gstreamer1.0-plugins-good', why: '' };
  }
  return { program: 'ffmpeg', packages: 'ffmpeg', why: ' (the music analysis needs it too)' };
}

function checkSource(config: Config, ctx: DoctorEnv, origin: CameraOrigin): Check {
  const name = 'camera';
  const devices = listDevices(ctx.devDir, 'video');
  const seen =
    devices.length === 0 ? `no camera device (${join(ctx.devDir, 'video*')}) on this machine` : `camera devices: ${devices.join(', ')}`;
  if (!config.camera.enabled) return { name, status: 'ok', message: `camera turned off in the configuration; ${seen}` };
  const source = config.camera.source;
  if (source === 'demo') {
    const isDemoMode = origin === 'demo mode';
    return {
      name,
      // A recorded clip read as a room: on a box with a file, that is never what the owner wants.
      status: isDemoMode ? 'ok' : 'warn',
      message: isDemoMode
        ? `demo camera (a recorded clip): a bundled clip of faces stands in for a camera in demo mode; ${seen}`
        : `demo camera (a recorded clip): camera.source is "demo", so the mood shown is the clip's, not the room's; ${seen}`,
      ...(devices.length > 0 || !isDemoMode
        ? { fix: `to use the real camera set camera.source to "${devices[0] ?? '/dev/video0'}" (Settings › Camera)` }
        : {}),
    };
  }
  // A default is said to be one: the file names no camera, and this is the machine's own.
  const byDefault = origin === 'default' ? " (this machine's camera, the default: the configuration file sets no camera.source)" : '';
  if (/^\d+$/.test(source) || source.startsWith('/dev/') || source.startsWith(join(ctx.devDir, 'video'))) {
    const path = /^\d+$/.test(source) ? join(ctx.devDir, `video${source}`) : source;
    if (!existsSync(path)) {
      return {
        name,
        status: 'fail',
        message: `${path}${byDefault} does not exist; ${seen}`,
        fix: 'plug the USB camera in, or set camera.source to one of the devices listed (or "demo"), or camera.enabled to false',
      };
    }
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      return {
        name,
        status: 'fail',
        message: `${path}${byDefault} exists but this user cannot open it`,
        fix: 'add the user to the "video" group (the udev rule in systemd/ does this for the moodbox user)',
      };
    }
    return { name, status: 'ok', message: `${path}${byDefault} can be opened` };
  }
  if (/^(https?|rtsp):\/\//.test(source))
    return { name, status: 'ok', message: `network stream ${source} (reachability is checked when the daemon opens it)` };
  if (source.includes('!')) return { name, status: 'ok', message: `GStreamer pipeline (${source.slice(0, 60)})` };
  const file = source.includes('%') ? dirname(source) : source;
  return existsSync(file)
    ? { name, status: 'ok', message: `video or image source ${source}` }
    : {
        name,
        status: 'fail',
        message: `${source} does not exist`,
        fix: 'point camera.source at an existing video file, image sequence or device',
      };
}
