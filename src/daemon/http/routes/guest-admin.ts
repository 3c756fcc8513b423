import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GUEST_GONE, guestRefused } from '../../guests/guest-refusals.js';
import type { GuestAdminView } from '../contract.js';
import { guestRequest, guestTrack, type GuestViewDeps } from '../guests/guest-view.js';
import { ErrorRef } from '../schemas/common.js';
import { GuestAdminSchema, GuestRequestIdParams } from '../schemas/guest-admin.js';

export type GuestAdminRoutesOptions = GuestViewDeps & {
  /** Requests wait for the staff's yes now (`guests.approval` is `staff`). */
  needsApproval: () => boolean;
};

/** Guests' requests and votes for staff (admin): see them, take one out of the queue, or clear the queue and every vote. Audited. */
export const guestAdminRoutes: FastifyPluginAsyncTypebox<GuestAdminRoutesOptions> = async (app, deps) => {
  const { guests, store } = deps;
  const view = (): GuestAdminView => {
    // The song playing as the screens' projection has it (one read model for every screen).
    const playing = deps.hub.snapshot().data.player.nowPlaying;
    const nowTrack = playing === null ? undefined : store.tracks.get(playing.id);
    const now = guests.votesOn('now');
    return {
      isOpen: guests.isOpen,
      needsApproval: deps.needsApproval(),
      requests: guests.recent().flatMap((record) => {
        const request = guestRequest(record, store);
        const votes = guests.votesOn(record.id);
        return request === undefined ? [] : [{ ...request, votes: { up: votes.up, down: votes.down } }];
      }),
      nowPlaying:
        nowTrack === undefined
          ? null
          : { track: guestTrack(nowTrack), likes: guests.likes({ id: '', address: '' }).likes, votes: { up: now.up, down: now.down } },
      downNeeded: now.downNeeded,
    };
  };

  app.get(
    '/api/admin/guests',
    {
      schema: {
        operationId: 'guestRequests',
        tags: ['admin'],
        summary: 'Guests’ requests (the queue and the last hour) and their votes, never who asked',
        response: { 200: GuestAdminSchema },
      },
    },
    async () => view(),
  );

  app.delete(
    '/api/admin/guests/requests/:id',
    {
      schema: {
        operationId: 'clearGuestRequest',
        tags: ['admin'],
        summary: 'Take a guest’s request out of the queue (cleared by the staff), or decline one waiting for their yes (declined)',
        params: GuestRequestIdParams,
        response: { 200: GuestAdminSchema, 404: ErrorRef },
      },
    },
    async (request) => {
      if (!guests.clear(request.params.id, request.adminActor)) {
        throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.staffNotInQueue(request.params.id));
      }
      return view();
    },
  );

  app.post(
    '/api/admin/guests/requests/:id/approve',
    {
      schema: {
        operationId: 'approveGuestRequest',
        tags: ['admin'],
        summary: 'Say yes to a guest’s request that waits for the staff: it plays when it fits the room',
        params: GuestRequestIdParams,
        response: { 200: GuestAdminSchema, 404: ErrorRef },
      },
    },
    async (request) => {
      if (!guests.approve(request.params.id, request.adminActor)) {
        throw guestRefused('MB_ERR_NOT_FOUND', GUEST_GONE.staffNotWaiting(request.params.id));
      }
      return view();
    },
  );

  app.delete(
    '/api/admin/guests',
    {
      schema: {
        operationId: 'clearGuests',
        tags: ['admin'],
        summary: 'Clear the guests’ queue and every vote',
        response: { 200: GuestAdminSchema },
      },
    },
    async (request) => {
      guests.clearAll(request.adminActor);
      return view();
    },
  );
};
