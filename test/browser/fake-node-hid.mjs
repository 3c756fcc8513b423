// What the daemon needs of node-hid, for tests: one keyboard-emulating RFID reader (08ff:0009)
// whose reports are recorded ones. A test taps a card by writing a JSON file
// `{"reports": [{"at": 0, "hex": "0000270000000000"}, …]}` (as in
// src/daemon/testing/fixtures/hid-card-reports.json) into `MOODBOX_FAKE_HID_DIR`; the reader sends
// its reports at their `at` offsets (ms) and removes the file.
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const DIR = process.env['MOODBOX_FAKE_HID_DIR'];
const READER = { vendorId: 0x08ff, productId: 0x0009, path: 'fake-hid-0', product: 'Recorded RFID reader' };
/** How often the folder is looked at for a new tap (ms). */
const POLL_MS = 100;

export async function devicesAsync() {
  return DIR === undefined ? [] : [READER];
}

export const HIDAsync = {
  async open(path) {
    if (path !== READER.path || DIR === undefined) throw new Error(`no HID device at ${path}`);
    const device = new EventEmitter();
    const poll = setInterval(() => {
      for (const name of readdirSync(DIR)
        .filter((n) => n.endsWith('.json'))
        .sort()) {
        const file = join(DIR, name);
        const { reports } = JSON.parse(readFileSync(file, 'utf8'));
        rmSync(file);
        for (const { at, hex } of reports) setTimeout(() => device.emit('data', Buffer.from(hex, 'hex')), at);
      }
    }, POLL_MS);
    device.close = async () => clearInterval(poll);
    return device;
  },
};

export default { devicesAsync, HIDAsync };
