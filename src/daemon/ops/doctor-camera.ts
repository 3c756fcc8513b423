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

/**
 * The camera as configured: the device there and open to this user, the file or pattern there, and
 * the program that reads it installed (ffmpeg; gst-launch-1.0 for a GStreamer pipeline).
 */
export function checkCamera(config: Config, ctx: DoctorEnv): Check {
  const check = checkSource(config, ctx);
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

function checkSource(config: Config, ctx: DoctorEnv): Check {
  const name = 'camera';
  const devices = listDevices(ctx.devDir, 'video');
  const seen =
    devices.length === 0 ? `no camera device (${join(ctx.devDir, 'video*')}) on this machine` : `camera devices: ${devices.join(', ')}`;
  if (!config.camera.enabled) return { name, status: 'ok', message: `camera turned off in the configuration; ${seen}` };
  const source = config.camera.source;
  if (source === 'demo') {
    return {
      name,
      status: 'ok',
      message: `demo camera: a bundled clip of faces stands in for a camera; ${seen}`,
      ...(devices.length > 0 ? { fix: `to use the real camera set camera.source to "${devices[0] ?? ''}"` } : {}),
    };
  }
  if (/^\d+$/.test(source) || source.startsWith('/dev/')) {
    const path = /^\d+$/.test(source) ? join(ctx.devDir, `video${source}`) : source;
    if (!existsSync(path)) {
      return {
        name,
        status: 'fail',
        message: `${path} does not exist; ${seen}`,
        fix: 'plug the USB camera in, or set camera.source to one of the devices listed (or "demo")',
      };
    }
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      return {
        name,
        status: 'fail',
        message: `${path} exists but this user cannot open it`,
        fix: 'add the user to the "video" group (the udev rule in systemd/ does this for the moodbox user)',
      };
    }
    return { name, status: 'ok', message: `${path} can be opened` };
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
