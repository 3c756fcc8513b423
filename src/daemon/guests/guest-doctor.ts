import type { Config } from '../config/schema.js';
import { guestUrlOf, systemGuestNetwork, type GuestUrlInput } from './guest-url.js';

/** A line of `moodbox doctor` (its `Check`). */
export interface GuestCheck {
  name: 'guests';
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

/** What the guest page exposes, said wherever guests are turned on. */
const EXPOSES =
  'it shows what plays and why, the room’s mood (never a name or a face count), a search of the library, and lets phones ask for songs, like and vote; the admin panel stays on the LAN (`server.adminLanOnly`)';

/**
 * `moodbox doctor`'s line on guests: whether phones in the room can reach the guest page, how
 * (the venue's guest Wi-Fi, `server.host: 0.0.0.0`), and what it exposes.
 */
export function checkGuests(
  config: Pick<Config, 'guests' | 'site' | 'server'>,
  isDemo: boolean,
  network: Pick<GuestUrlInput, 'interfaces' | 'avahiName'> = systemGuestNetwork(),
): GuestCheck {
  const { guests, site, server } = config;
  const isOpen = guests.requests === 'on' || (guests.requests === 'auto' && (isDemo || site.kind === 'home'));
  if (!isOpen) {
    return {
      name: 'guests',
      status: 'ok',
      message: `guest requests are off (\`guests.requests\`: ${guests.requests}${guests.requests === 'auto' ? ', off at a business' : ''}): turn them on in the admin panel (Settings › Guests) to let guests ask for songs from their phones`,
    };
  }
  const url = guestUrlOf({ isOpen, publicUrl: server.publicUrl, host: server.host, port: server.port, ...network });
  if (url === null) {
    return {
      name: 'guests',
      status: 'warn',
      message: `guest requests are on, but phones cannot reach the guest page: the server listens on ${server.host} only`,
      fix: `set \`server.host\` to \`0.0.0.0\` and put the box on the network guests join (the venue's guest Wi-Fi), or set \`server.publicUrl\`; ${EXPOSES}`,
    };
  }
  if (!server.adminLanOnly) {
    return {
      name: 'guests',
      status: 'warn',
      message: `guests reach the guest page at ${url}, and the admin panel is served beyond the LAN (\`server.adminLanOnly\` is off)`,
      fix: 'turn `server.adminLanOnly` back on, so only the guest page and the kiosk are reachable from the guests’ network',
    };
  }
  return {
    name: 'guests',
    status: 'ok',
    message: `guests reach the guest page at ${url} (the kiosk shows its QR code) on the box's network: ${EXPOSES}`,
  };
}
