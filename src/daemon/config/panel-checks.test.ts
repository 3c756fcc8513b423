import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { panelChecks } from './panel-checks.js';

function machine() {
  const root = mkdtempSync(join(tmpdir(), 'moodbox-panel-'));
  for (const dir of ['dev', 'install/demo/library', 'srv/music', 'etc']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'dev', 'video0'), '');
  writeFileSync(join(root, 'srv', 'music', 'a-file.mp3'), '');
  symlinkSync(join(root, 'etc'), join(root, 'srv', 'music', 'sneaky'));
  return { root, checks: panelChecks({ installDir: join(root, 'install'), devDir: join(root, 'dev') }) };
}

describe('panelChecks', () => {
  it('lets the panel pick the demo, a camera index or a camera device that is there, and nothing that runs or opens files', () => {
    const { checks } = machine();
    for (const ok of ['demo', '0', '/dev/video0', '/dev/video3', '99']) expect(checks.cameraSource(ok)).toBeUndefined();
    // A camera not plugged in is said, not refused: it may be plugged in later.
    for (const there of ['demo', '0', '/dev/video0']) expect(checks.cameraAbsent(there)).toBeUndefined();
    expect(checks.cameraAbsent('/dev/video3')).toBe('camera.source: /dev/video3 does not exist (is the camera plugged in?)');
    // Issue 42 (LOW): a camera index was taken without a look at the device.
    expect(checks.cameraAbsent('99')).toBe('camera.source: camera 99 (/dev/video99) does not exist (is the camera plugged in?)');
    for (const bad of ['videotestsrc ! appsink', '/home/kiosk/clip.mp4', 'http://127.0.0.1:8081/stream.mjpg', '/dev/sda']) {
      expect(checks.cameraSource(bad)).toMatch(/files, pipelines and URLs go in the configuration file/);
    }
  });

  it('lets the panel pick readable music folders inside the allowed roots, links resolved', () => {
    const { root, checks } = machine();
    const roots = [join(root, 'srv')];
    expect(checks.musicFolders([join(root, 'srv', 'music'), 'demo/library'], roots)).toBeUndefined();
    expect(checks.musicFolders([join(root, 'etc')], roots)).toMatch(/outside the folders the admin panel may use/);
    expect(checks.musicFolders([join(root, 'srv', 'music', 'sneaky')], roots)).toMatch(/outside the folders/);
    expect(checks.musicFolders([join(root, 'srv', 'nope')], roots)).toMatch(/does not exist or cannot be read/);
    expect(checks.musicFolders([join(root, 'srv', 'music', 'a-file.mp3')], roots)).toMatch(/is not a folder/);
  });

  it('keeps the folders the configuration file names as they are, and checks only the new ones (issue 82)', () => {
    const { root, checks } = machine();
    const roots = [join(root, 'srv')];
    // The file names /etc (outside the roots) and a drive not mounted yet: the panel's list keeps both.
    const fileFolders = [join(root, 'etc'), join(root, 'mnt', 'usb')];
    expect(
      checks.musicFolders([join(root, 'etc/'), join(root, 'mnt', 'usb'), join(root, 'srv', 'music')], roots, { fileFolders }),
    ).toBeUndefined();
    // A new folder outside the roots, or one that cannot be read, is still refused beside them.
    expect(checks.musicFolders([join(root, 'etc'), join(root, 'etc', '..', 'dev')], roots, { fileFolders })).toMatch(
      /dev is outside the folders the admin panel may use/,
    );
    expect(checks.musicFolders([join(root, 'etc'), join(root, 'srv', 'nope')], roots, { fileFolders })).toMatch(/nope does not exist/);
  });
});
