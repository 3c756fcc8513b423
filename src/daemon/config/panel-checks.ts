import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { PanelChecks } from './live-config.js';
import { DEMO_LIBRARY, installPath } from './paths.js';

/**
 * The checks of settings chosen in the admin panel, on this machine's files and devices. A camera
 * may be `demo`, or a camera index or a V4L2 device (files, GStreamer pipelines and URLs are for the
 * configuration file: a pipeline can run anything), and one not plugged in is said but kept, for a
 * camera plugged in later; music folders must exist, be
 * readable, and lie inside the allowed roots (symbolic links resolved) or be the bundled demo music;
 * a folder the configuration file names is kept as it is (the file is the owner's word, roots or not).
 */
export function panelChecks(options: { installDir: string; devDir?: string }): PanelChecks {
  const devDir = options.devDir ?? '/dev';
  const demoMusic = installPath(DEMO_LIBRARY, options.installDir);
  return {
    cameraSource(value) {
      if (value === 'demo' || /^\d{1,2}$/.test(value) || /^\/dev\/video\d{1,3}$/.test(value)) return undefined;
      return `camera.source: the admin panel can choose \`demo\` or a camera device (/dev/video0); files, pipelines and URLs go in the configuration file`;
    },
    cameraAbsent(value) {
      // A camera index is the device of that number (OpenCV's and ffmpeg's reading).
      const index = /^\d{1,2}$/.test(value) ? Number(value) : undefined;
      const device = index === undefined ? /^\/dev\/(video\d{1,3})$/.exec(value)?.[1] : `video${index}`;
      if (device === undefined || existsSync(resolve(devDir, device))) return undefined;
      return index === undefined
        ? `camera.source: ${value} does not exist (is the camera plugged in?)`
        : `camera.source: camera ${value} (/dev/video${index}) does not exist (is the camera plugged in?)`;
    },
    musicFolders(folders, roots, checking = {}) {
      // Issue 82: one folder the file names outside the roots made every list the panel saved fail.
      const fileFolders = new Set((checking.fileFolders ?? []).map((folder) => resolve(installPath(folder, options.installDir))));
      for (const folder of folders) {
        const path = installPath(folder, options.installDir);
        if (fileFolders.has(resolve(path))) continue;
        let real: string;
        try {
          real = realpathSync(path);
          if (!statSync(real).isDirectory()) return `library.folders: ${folder} is not a folder`;
          accessSync(real, constants.R_OK | constants.X_OK);
        } catch {
          // At a start, a drive not mounted yet keeps its folder; where it would be must still be allowed.
          if (checking.atStart !== true) return `library.folders: ${folder} does not exist or cannot be read`;
          real = resolve(path);
        }
        const inside = (root: string): boolean => {
          const rel = relative(root, real);
          return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
        };
        if (!inside(demoMusic) && !roots.some(inside)) {
          return `library.folders: ${folder} is outside the folders the admin panel may use (${roots.join(', ')}); add it in the configuration file`;
        }
      }
      return undefined;
    },
  };
}
