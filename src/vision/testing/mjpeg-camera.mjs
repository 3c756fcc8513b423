// An MJPEG camera on 127.0.0.1, run as a child process by mjpeg-server.ts so that it keeps serving
// while the test's own thread is blocked in OpenCV. Reads one JSON line on stdin:
// {"port": 0, "intervalMs": 40, "jpegs": ["<base64>", ...]}, then prints {"port": N} once listening.
// Serves `multipart/x-mixed-replace` at /stream.mjpg, one JPEG part per frame, cycling the list.
// Later lines {"show": i, "frames": k} switch to sending only jpegs[i] and print {"shown": i} once
// k of them went out.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin });
const [line] = await lines[Symbol.asyncIterator]()
  .next()
  .then((r) => [r.value]);
const config = JSON.parse(line);
const jpegs = config.jpegs.map((b64) => Buffer.from(b64, 'base64'));
const boundary = 'moodboxframe';
const streams = new Set();
let n = 0;
/** What `show` asked for: the picture, and how many of it are still to go before it says so. */
let shown;
setInterval(() => {
  const jpeg = shown === undefined ? jpegs[n++ % jpegs.length] : jpegs[shown.index];
  for (const res of streams) {
    res.write(`--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`);
    res.write(jpeg);
    res.write('\r\n');
  }
  if (shown !== undefined && shown.left > 0 && --shown.left === 0) process.stdout.write(`${JSON.stringify({ shown: shown.index })}\n`);
}, config.intervalMs ?? 40);
const server = createServer((req, res) => {
  if (req.url !== '/stream.mjpg') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': `multipart/x-mixed-replace; boundary=${boundary}`,
    'Cache-Control': 'no-cache',
    Connection: 'close',
  });
  streams.add(res);
  res.on('close', () => streams.delete(res));
});
server.listen(config.port ?? 0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
// The parent going away (or closing stdin) ends the camera too.
lines.on('close', () => process.exit(0));
lines.on('line', (text) => {
  const { show, frames } = JSON.parse(text);
  shown = { index: show, left: frames };
});
