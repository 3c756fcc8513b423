import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { GUEST_GONE, GUEST_REFUSALS, guestRefused } from '../../guests/guest-refusals.js';
import type { GuestPhone } from '../../guests/guest-service.js';
import { judgeGuestCall, phoneOf, type GuestCallLimiter } from '../guests/guest-phone.js';
import { guestRequest, guestState, guestTrack, type GuestViewDeps } from '../guests/guest-view.js';
import { ErrorRef } from '../schemas/common.js';
import {
  GuestLikeBody,
  GuestRequestBody,
  GuestRequestParams,
  GuestRequestSchema,
  GuestSearchQuery,
  GuestSearchSchema,
  GuestStateSchema,
  GuestVoteBody,
} from '../schemas/guest.js';

export interface GuestRoutesOptions extends GuestViewDeps {
  /** Counts the calls of each phone and address (shared with `/ws/guest`). */
  limiter: GuestCallLimiter;
  /** `phone` read its view over HTTP (`GuestLinks.viewRead`). */
  viewRead: (phone: GuestPhone) => void;
}

/** The largest body a guest call sends: `{"trackId": 123}` or a vote (bytes). */
const GUEST_BODY_LIMIT = 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The guest page's calls (`/api/guest/*`), tagged `guest`: what plays and this phone's own view,
 * search, ask for a song, like the song playing, vote. A phone is the anonymous `mb_guest` cookie
 * plus its address. Every call is rate-limited per phone and per address, served only to pages of
 * this box (a change needs its Origin; another site's is refused), with small bodies; it acts for
 * the guest alone: no cookie or token here authorises anything else, and nothing here pauses,
 * stops or changes the volume.
 */
export const guestRoutes: FastifyPluginAsyncTypebox<GuestRoutesOptions> = async (app, deps) => {
  const { guests, store, limiter } = deps;
  const phones = new WeakMap<FastifyRequest, GuestPhone>();
  const phone = (request: FastifyRequest): GuestPhone => {
    const found = phones.get(request);
    if (found === undefined) throw new TypeError('Expected the guest hook to have named the phone');
    return found;
  };

  app.addHook('onRequest', async (request, reply) => {
    const verdict = judgeGuestCall(request);
    if (verdict === 'foreign') throw guestRefused('MB_ERR_HTTP_FORBIDDEN', GUEST_GONE.foreignOrigin());
    if (verdict === 'none' && !SAFE_METHODS.has(request.method)) {
      throw guestRefused('MB_ERR_HTTP_FORBIDDEN', GUEST_GONE.noOrigin());
    }
    const who = phoneOf(request, reply);
    const waitS = limiter.take(who);
    if (waitS !== undefined) {
      void reply.header('retry-after', String(waitS));
      throw guestRefused('MB_ERR_GUEST_TOO_FAST', GUEST_REFUSALS.tooFast(waitS));
    }
    phones.set(request, who);
    // Every phone that calls counts among the phones on its address: their ceiling grows with them.
    guests.seen(who);
  });

  const guest = { tags: ['guest'] };
  const refused = { 403: ErrorRef, 409: ErrorRef, 429: ErrorRef };

  app.get(
    '/api/guest/state',
    {
      schema: {
        ...guest,
        operationId: 'guestState',
        summary: 'What this phone sees: what plays and why, up next with votes, the room mood, suggestions, its own requests',
        response: { 200: GuestStateSchema, 403: ErrorRef, 429: ErrorRef },
      },
    },
    async (request) => {
      const who = phone(request);
      const view = guestState(deps, who);
      deps.viewRead(who);
      return view;
    },
  );

  app.get(
    '/api/guest/search',
    {
      schema: {
        ...guest,
        operationId: 'guestSearch',
        summary: 'Songs of the library (and stations) by title or artist that guests may ask for here, at most 20',
        querystring: GuestSearchQuery,
        response: { 200: GuestSearchSchema, 400: ErrorRef, 403: ErrorRef, 429: ErrorRef },
      },
    },
    async (request) => ({ tracks: guests.search(request.query.q).map(guestTrack) }),
  );

  app.post(
    '/api/guest/requests',
    {
      bodyLimit: GUEST_BODY_LIMIT,
      schema: {
        ...guest,
        operationId: 'guestAsk',
        summary:
          'Ask for a song: it plays between the mood’s picks (`queued`), or waits for the room (`waiting`); refused past the hour’s budget (429), when asked for recently or far from the room’s mood (409), while closed (403)',
        body: GuestRequestBody,
        response: { 201: GuestRequestSchema, 400: ErrorRef, 404: ErrorRef, ...refused },
      },
    },
    async (request, reply) => {
      const record = guests.request(phone(request), request.body.trackId);
      const view = guestRequest(record, store, guests.schedule().slots.get(record.id));
      if (view === undefined) throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.songGone(record.trackId));
      return reply.status(201).send(view);
    },
  );

  app.delete(
    '/api/guest/requests/:id',
    {
      schema: {
        ...guest,
        operationId: 'guestCancel',
        summary:
          'Take back this phone’s own request while it is in the queue (`cancelled`; it still counts in the hour); 404 once it played or left the queue; answers this phone’s view',
        params: GuestRequestParams,
        response: { 200: GuestStateSchema, 400: ErrorRef, 403: ErrorRef, 404: ErrorRef, 429: ErrorRef },
      },
    },
    async (request) => {
      const who = phone(request);
      guests.cancel(who, request.params.id);
      return guestState(deps, who);
    },
  );

  app.post(
    '/api/guest/like',
    {
      bodyLimit: GUEST_BODY_LIMIT,
      schema: {
        ...guest,
        operationId: 'guestLike',
        summary: 'Like the song playing now (409 when it no longer plays); answers this phone’s view',
        body: GuestLikeBody,
        response: { 200: GuestStateSchema, 400: ErrorRef, ...refused },
      },
    },
    async (request) => {
      const who = phone(request);
      guests.like(who, request.body.trackId);
      return guestState(deps, who);
    },
  );

  app.post(
    '/api/guest/votes',
    {
      bodyLimit: GUEST_BODY_LIMIT,
      schema: {
        ...guest,
        operationId: 'guestVote',
        summary:
          'Vote on the song playing (`now`) or a requested song up next (its `key`): enough distinct phones voting `down` skip it or drop it; `up` plays a request sooner; answers this phone’s view',
        body: GuestVoteBody,
        response: { 200: GuestStateSchema, 400: ErrorRef, 404: ErrorRef, ...refused },
      },
    },
    async (request) => {
      const who = phone(request);
      await guests.vote(who, request.body.on, request.body.vote);
      return guestState(deps, who);
    },
  );
};
