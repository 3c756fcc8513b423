// Guests under load: starts Moodbox in demo mode (its own data folder, a free port on loopback),
// connects the kiosk's socket (/ws) and N simulated phones, each from its own loopback address
// (127.0.1.n, so the budgets per address hold as on a LAN), each holding /ws/guest and, at a human
// rate (one action every 5–20 s: search, ask for a song, like, vote), calling the guest page's API.
// Bounded in phones and time. Prints, without asserting anything:
// - the guest push latency: a phone's request accepted (201) → that phone's /ws/guest push showing it;
// - the kiosk push latency: a phone's request accepted → the kiosk's /ws showing it as the next song
//   ("asked for by a guest"), timed only for requests made while no guest's song played or came next
//   (they become next at once; others wait their turn in the queue);
// - the kiosk's round trip (`state/get` on /ws, once a second) under the load;
// - the daemon's RSS (peak) and CPU time (user + system) over the run, and the answers by status.
//
//   npm run build && node --import tsx scripts/bench-guests.ts [--phones 200] [--seconds 120] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { mib, peakRssKiB, rssKiB } from '../src/daemon/ops/process-stats.js';

const { values } = parseArgs({
  options: {
    phones: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '120' },
    json: { type: 'boolean', default: false },
  },
});
const phones = Number(values.phones);
const seconds = Number(values.seconds);
if (!(phones >= 1 && phones <= 250)) throw new RangeError(`Expected \`--phones\` to be 1–250, got \`${values.phones}\``);
if (!(seconds >= 5 && seconds <= 600)) throw new RangeError(`Expected \`--seconds\` to be 5–600, got \`${values.seconds}\``);

const root = new URL('../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'moodbox-bench-guests-'));
const built = join(root, 'dist/daemon/cli.js');
const entry = existsSync(built) ? [built] : ['--import', 'tsx', join(root, 'src/daemon/cli.ts')];
const child = spawn(process.execPath, [...entry, 'start'], {
  // The allocator as the systemd unit and `setup.sh start` set it, unless the caller chose otherwise.
  env: { MALLOC_ARENA_MAX: '2', ...process.env, MOODBOX_DATA_DIR: dataDir, MOODBOX_PORT: '0', HOME: dataDir, MOODBOX_LOG_LEVEL: 'info' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

/** A deterministic sequence (mulberry32), so two runs send the same actions. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base = await new Promise<string>((resolve, reject) => {
  let buffer = '';
  const timer = setTimeout(() => reject(new Error('the daemon did not get ready in 120 s')), 120_000);
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const ready = /"kiosk":"(http:\/\/[^"]+?)\/".*"msg":"moodbox ready"/.exec(line);
      if (ready?.[1] === undefined) continue;
      clearTimeout(timer);
      resolve(ready[1]);
    }
  });
  child.once('exit', (code) => reject(new Error(`the daemon exited (${code ?? 'signal'}) before it was ready`)));
});
const url = new URL(base);
const origin = base;
const cpuTicks = (): number => {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
};
const cpuAtStart = cpuTicks();
let rssPeakKiB = rssKiB(child.pid ?? 0);
const rssAtStartKiB = rssPeakKiB;

// --- the kiosk's socket ---
const kiosk = new WebSocket(`ws://${url.host}/ws`, { headers: { origin } });
const kioskNext = new Map<number, number>();
const kioskLatencies: number[] = [];
const roundTrips: number[] = [];
const pendingRoundTrips = new Map<string, number>();
/** Accepted requests not yet shown to the kiosk: track id → when accepted. */
const awaitingKiosk = new Map<number, number>();
kiosk.on('message', (raw: Buffer) => {
  const now = performance.now();
  const message = JSON.parse(raw.toString()) as {
    type: string;
    transaction?: string;
    data?: { next?: { id: number; whyKind?: string } | null };
  };
  if (message.transaction !== undefined) {
    const sent = pendingRoundTrips.get(message.transaction);
    if (sent !== undefined) roundTrips.push(now - sent);
    pendingRoundTrips.delete(message.transaction);
    return;
  }
  const next = message.type === 'player/changed' ? message.data?.next : undefined;
  if (next?.whyKind === 'guest' && !kioskNext.has(next.id)) {
    kioskNext.set(next.id, now);
    const asked = awaitingKiosk.get(next.id);
    if (asked !== undefined) kioskLatencies.push(now - asked);
    awaitingKiosk.delete(next.id);
  }
});
await new Promise((resolve, reject) => kiosk.once('open', resolve).once('error', reject));
process.stderr.write(`daemon ready at ${base}; kiosk connected\n`);
let transaction = 0;
const roundTripTimer = setInterval(() => {
  const id = `rt${++transaction}`;
  pendingRoundTrips.set(id, performance.now());
  kiosk.send(JSON.stringify({ type: 'state/get', transaction: id }));
}, 1000);
const rssTimer = setInterval(() => {
  rssPeakKiB = Math.max(rssPeakKiB, rssKiB(child.pid ?? 0));
}, 500);

// --- the phones ---
interface Phone {
  n: number;
  agent: Agent;
  address: string;
  cookie: string;
  socket?: WebSocket;
  /** Requests accepted and not yet seen on the phone's socket: request id → when accepted. */
  awaiting: Map<number, number>;
  state?: GuestStateLike;
}
interface GuestStateLike {
  nowPlaying: { track: { id: number }; isGuestRequest: boolean } | null;
  upNext: Array<{ key: number; isGuestRequest: boolean }>;
  suggestions: Array<{ id: number }>;
  me: { requests: Array<{ id: number }> };
}
const statuses = new Map<number, number>();
const guestLatencies: number[] = [];
let pushes = 0;

function call(phone: Phone, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: phone.agent,
        headers: {
          origin,
          ...(phone.cookie === '' ? {} : { cookie: phone.cookie }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
          resolve({
            status,
            json: text === '' ? null : (JSON.parse(text) as unknown),
            ...(setCookie === undefined ? {} : { cookie: setCookie }),
          });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const list: Phone[] = Array.from({ length: phones }, (_, i) => {
  const address = `127.0.1.${i + 1}`;
  return {
    n: i + 1,
    address,
    agent: new Agent({ keepAlive: true, maxSockets: 2, localAddress: address }),
    cookie: '',
    awaiting: new Map(),
  };
});
const opened: Array<Promise<unknown>> = [];
for (const phone of list) {
  const first = await call(phone, 'GET', '/api/guest/state');
  phone.cookie = first.cookie ?? '';
  phone.state = first.json as GuestStateLike;
  const socket = new WebSocket(`ws://${url.host}/ws/guest`, { headers: { origin, cookie: phone.cookie }, localAddress: phone.address });
  socket.on('message', (raw: Buffer) => {
    const now = performance.now();
    // The room's view (shared by every phone) and this phone's own part come apart; requests are in its own.
    const message = JSON.parse(raw.toString()) as { type: string; data: Partial<GuestStateLike> };
    // The daemon's word that it is alive is no push of the room.
    if (message.type === 'link/alive') return;
    pushes += 1;
    phone.state = { ...phone.state, ...message.data } as GuestStateLike;
    if (message.type !== 'guest/mine') return;
    for (const r of phone.state.me.requests) {
      const asked = phone.awaiting.get(r.id);
      if (asked !== undefined) guestLatencies.push(now - asked);
      phone.awaiting.delete(r.id);
    }
  });
  phone.socket = socket;
  opened.push(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)));
}
await Promise.all(opened);
process.stderr.write(`${phones} phones connected; running for ${seconds} s\n`);

const random = seeded(31);
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
const WORDS = ['a', 'e', 'the', 'love', 'night', 'blue', 'rain', 'sun'];
async function act(phone: Phone): Promise<void> {
  const state = phone.state;
  const roll = random();
  if (roll < 0.3) {
    const found = await call(phone, 'GET', `/api/guest/search?q=${pick(WORDS) ?? 'a'}`);
    const tracks = (found.json as { tracks?: Array<{ id: number }> } | null)?.tracks ?? [];
    const track = pick(tracks);
    if (track !== undefined && random() < 0.5) await ask(phone, track.id);
  } else if (roll < 0.55) {
    const track = pick(state?.suggestions ?? []);
    if (track !== undefined) await ask(phone, track.id);
  } else if (roll < 0.7) {
    const playing = state?.nowPlaying?.track.id;
    if (playing !== undefined) await call(phone, 'POST', '/api/guest/like', { trackId: playing });
  } else {
    const request = pick((state?.upNext ?? []).filter((u) => u.isGuestRequest));
    const on = request === undefined || random() < 0.5 ? 'now' : request.key;
    await call(phone, 'POST', '/api/guest/votes', { on, vote: random() < 0.7 ? 'up' : 'down' });
  }
}
async function ask(phone: Phone, trackId: number): Promise<void> {
  const sent = performance.now();
  const res = await call(phone, 'POST', '/api/guest/requests', { trackId });
  if (res.status !== 201) return;
  const id = (res.json as { id: number }).id;
  if (!phone.state?.me.requests.some((r) => r.id === id)) phone.awaiting.set(id, sent);
  // Timed on the kiosk only when nothing a guest asked for plays or comes next: it then becomes next at once.
  const state = phone.state;
  if (state !== undefined && !state.nowPlaying?.isGuestRequest && !state.upNext.some((u) => u.isGuestRequest))
    awaitingKiosk.set(trackId, sent);
}

const endAt = performance.now() + seconds * 1000;
await Promise.all(
  list.map(async (phone) => {
    // Phones start spread over the first 10 s, then act every 5–20 s.
    await new Promise((r) => setTimeout(r, random() * 10_000));
    while (performance.now() < endAt) {
      await act(phone).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 5000 + random() * 15_000));
    }
  }),
);

clearInterval(roundTripTimer);
clearInterval(rssTimer);
const cpuS = (cpuTicks() - cpuAtStart) / 100;
rssPeakKiB = Math.max(rssPeakKiB, peakRssKiB(child.pid ?? 0));
for (const phone of list) {
  phone.socket?.close();
  phone.agent.destroy();
}
kiosk.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
};
const figures = {
  phones,
  seconds,
  answers: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
  guestPushes: pushes,
  guestPushLatencyMs: { samples: guestLatencies.length, p50: percentile(guestLatencies, 50), p95: percentile(guestLatencies, 95) },
  kioskPushLatencyMs: { samples: kioskLatencies.length, p50: percentile(kioskLatencies, 50), p95: percentile(kioskLatencies, 95) },
  kioskRoundTripMs: { samples: roundTrips.length, p50: percentile(roundTrips, 50), p95: percentile(roundTrips, 95) },
  daemonRssMiB: { start: mib(rssAtStartKiB), peak: mib(rssPeakKiB) },
  daemonCpuS: cpuS,
};
if (values.json) console.log(JSON.stringify(figures));
else {
  console.log(`${phones} phones for ${seconds} s on loopback (demo mode)`);
  console.log(`answers by status: ${JSON.stringify(figures.answers)}; guest pushes: ${pushes}`);
  const line = (name: string, f: { samples: number; p50: number | null; p95: number | null }) =>
    console.log(`${name}: p50 ${f.p50 ?? '-'} ms, p95 ${f.p95 ?? '-'} ms (${f.samples} samples)`);
  line('guest push latency (request accepted → the phone’s /ws/guest)', figures.guestPushLatencyMs);
  line('kiosk push latency (request accepted → the kiosk’s /ws shows it next, empty guest queue)', figures.kioskPushLatencyMs);
  line('kiosk round trip (state/get on /ws)', figures.kioskRoundTripMs);
  console.log(
    `daemon RSS: ${figures.daemonRssMiB.start} MiB at start, ${figures.daemonRssMiB.peak} MiB peak; CPU ${cpuS.toFixed(1)} s (user + system)`,
  );
}
