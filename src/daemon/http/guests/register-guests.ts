import type { FastifyInstance } from 'fastify';
import type { LiveConfig } from '../../config/live-config.js';
import type { Clock } from '../../../kernel/clock.js';
import type { Logger } from '../../logging.js';
import type { GuestService } from '../../guests/guest-service.js';
import type { StoreReads } from '../../store/store-reads.js';
import { guestAdminRoutes } from '../routes/guest-admin.js';
import { guestRoutes } from '../routes/guest.js';
import type { ScreenState } from '../state-hub.js';
import { registerGuestSocket } from './guest-socket.js';
import { GuestCallLimiter } from './guest-phone.js';
import { withAccess } from '../access.js';

/**
 * The guest page's routes and its socket (the `guest` access zone: the LAN while the box is kept to
 * it) and the staff's view of guests' requests (`staff`: admins and staff), on `app`.
 */
export async function registerGuests(
  app: FastifyInstance,
  deps: { guests: GuestService; hub: ScreenState; store: StoreReads; clock: Clock; log: Logger; settings: LiveConfig },
  ws: { maxBufferedKiB: number; pingIntervalMs: number },
): Promise<void> {
  const view = { guests: deps.guests, hub: deps.hub, store: deps.store };
  const limiter = new GuestCallLimiter({
    clock: deps.clock,
    perMinute: () => deps.guests.callsPerMinute,
    phonesBehind: (address) => deps.guests.phonesBehind(address),
  });
  await app.register(withAccess('staff', guestAdminRoutes), {
    ...view,
    needsApproval: () => deps.settings.current.guests.approval === 'staff',
  });
  const socket = { ...view, clock: deps.clock, log: deps.log, limiter, limits: () => deps.settings.current.guests };
  await app.register(
    withAccess('guest', async (zone) => {
      const links = registerGuestSocket(zone, socket, { maxBufferedBytes: ws.maxBufferedKiB * 1024, pingIntervalMs: ws.pingIntervalMs });
      await zone.register(guestRoutes, { ...view, limiter, viewRead: (phone) => links.viewRead(phone) });
    }),
  );
}
