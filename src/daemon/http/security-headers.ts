import type { IncomingMessage } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { HOST_PATTERN } from './origin.js';

/**
 * Where the screens may connect: the daemon itself, its WebSocket named for the host the request
 * was sent to as well as `'self'` (which older browsers do not apply to `ws:`). A Host header that
 * is not a host name adds nothing.
 */
function connectSources(request: IncomingMessage): string {
  const host = request.headers.host;
  return host !== undefined && HOST_PATTERN.test(host) ? `'self' ws://${host} wss://${host}` : "'self'";
}

/**
 * Sends the security headers on every answer (pages, assets, API, errors, refused upgrades), through
 * helmet: a Content-Security-Policy for the host the request was sent to, no framing
 * (`X-Frame-Options` for browsers without `frame-ancestors`), no MIME sniffing, and no Referer to
 * other sites. Register it before any hook that may answer, so that its answers carry them too.
 *
 * The screens are two Lit bundles loaded by `<script type="module" src>`: no inline script, no
 * eval. Styles allow `'unsafe-inline'` because the pages carry a `<style>` block and the admin
 * panel's templates set `style` attributes (bar widths, face boxes); a style cannot run code.
 * Images come from the daemon (covers), `data:` and `blob:` (the camera preview).
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // Helmet's defaults add `upgrade-insecure-requests`, which sends a page served over plain
      // http on the LAN to https for its scripts and socket, where the box does not answer.
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: [connectSources],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // The box answers plain http on the LAN: a browser that once reached it through https (a proxy)
    // would then refuse its http address for a year.
    strictTransportSecurity: false,
    // Browsers ignore Cross-Origin-Opener-Policy on an http origin off the machine (the LAN) and
    // warn about it in the console on every page; the screens open no window of another site.
    // Cross-Origin-Resource-Policy would keep other sites' pages (a home dashboard) from showing the
    // box's covers; Cross-Origin-Embedder-Policy (off in helmet 8 too) would make every embedded
    // resource opt in, and the pages embed nothing from elsewhere. Helmet's headers for old browsers
    // and plugins (Origin-Agent-Cluster, X-DNS-Prefetch-Control, X-Download-Options,
    // X-Permitted-Cross-Domain-Policies, X-XSS-Protection) stay off too: helmet sends the four
    // above and nothing else.
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}
