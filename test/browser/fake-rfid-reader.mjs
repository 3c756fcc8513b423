// Preloaded into a daemon under test (`NODE_OPTIONS=--import <this file>`): `node-hid` becomes
// `fake-node-hid.mjs`, an RFID reader that types the recorded reports dropped into
// `MOODBOX_FAKE_HID_DIR`, as a card tapped on the real one would.
import { register } from 'node:module';

const fake = new URL('./fake-node-hid.mjs', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  return specifier === 'node-hid' ? { url: ${JSON.stringify(fake)}, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
