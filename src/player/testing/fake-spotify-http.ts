/**
 * The fake Spotify's HTTP plumbing (`FakeSpotifyServer`, `FakeSpotifyAccounts`): JSON answers, the
 * Web API's error object, and a request's body read whole.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The Web API's error: `{error: {status, message, reason?}}`. */
export function error(res: ServerResponse, status: number, message: string, reason?: string): void {
  json(res, status, { error: { status, message, ...(reason === undefined ? {} : { reason }) } });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
