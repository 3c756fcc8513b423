import type { FastifyInstance } from 'fastify';
import { HOST_PATTERN } from './origin.js';

/**
 * The Content-Security-Policy of every answer, for the host the request was sent to. The screens
 * are two Lit bundles loaded by `<script type="module" src>`: no inline script, no eval. Styles
 * allow `'unsafe-inline'` because the pages carry a `<style>` block and the admin panel's
 * templates set `style` attributes (bar widths, face boxes); a style cannot run code. Images come
 * from the daemon (covers), `data:` and `blob:` (the camera preview); the only connection is the
 * daemon itself, its WebSocket included (named as well as `'self'`, which older browsers do not
 * apply to `ws:`).
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const socket = host !== undefined && HOST_PATTERN.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sends the security headers on every answer (pages, assets, API, errors): the CSP above, no
 * framing (`X-Frame-Options` for browsers without `frame-ancestors`), no MIME sniffing, and no
 * Referer to other sites.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers({
      'content-security-policy': contentSecurityPolicy(request.headers.host),
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });
}
