import { Type } from 'typebox';

/**
 * Guests from their phones (`/guest`): whether they may ask for songs, like and vote, and the
 * limits that keep it fair. The room's mood still leads: a request plays between the mood's own
 * picks, and one that does not fit the room waits or is declined.
 */
export const GuestsSchema = Type.Object(
  {
    requests: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
      default: 'auto',
      description:
        "Guests may ask for songs, like and vote from their phones (the kiosk shows a QR code for the guest page). `auto`: on at a home and in demo mode, off at a business until you turn it on; `on`; `off`. A request plays between the songs the mood picks, never instead of them. The guest page needs `server.host` 0.0.0.0 (the guest Wi-Fi reaches the box); it shows what plays and the room's mood, never a name or a face count.",
    }),
    approval: Type.Union([Type.Literal('off'), Type.Literal('staff')], {
      default: 'off',
      description:
        "`staff`: a guest's request waits until the staff say yes on the admin panel's Guests page (declined when nobody does within `guests.waitMin`); then it plays when it fits the room. `off`: a request that fits the room is queued at once.",
    }),
    kioskQr: Type.Union([Type.Literal('card'), Type.Literal('large')], {
      default: 'card',
      description:
        "How the kiosk shows the guest page's QR code while music plays and nobody is signed in at the screen. `card`: a card of at least 35 mm (230 px on a 7\" screen) beside the room's mood, the song and what plays next, scanned from the edge of a table, with the suggestions to tap. `large`: for a kiosk that faces the tables: the code takes at least half the screen's height, scanned from a seat, beside the mood, the song, why it plays and what plays next. Either way it moves to the header's corner while someone is signed in.",
    }),
    requestsPerHour: Type.Integer({
      default: 3,
      minimum: 0,
      maximum: 60,
      description:
        'Songs one phone may ask for in an hour. Phones that share one network address (a guest Wi-Fi behind one router) share a ceiling too: this many for each phone seen there in the hour, up to `guests.requestsPerAddressMax`.',
    }),
    requestsPerAddressMax: Type.Integer({
      default: 30,
      minimum: 0,
      maximum: 600,
      description:
        'Songs all the phones of one network address may ask for in an hour together, at most: the ceiling that keeps clearing cookies from flooding the queue (a venue whose guests all share one address sets it to what its queue can take).',
    }),
    repeatWindowMin: Type.Integer({
      default: 60,
      minimum: 0,
      maximum: 1440,
      description: 'Minutes before the same song may be asked for again, by anyone (min).',
    }),
    waitMin: Type.Integer({
      default: 20,
      minimum: 1,
      maximum: 240,
      description: 'How long a request that does not fit the room yet waits for it before it is declined (min).',
    }),
    downVotesToSkip: Type.Integer({
      default: 3,
      minimum: 1,
      maximum: 100,
      description: 'Distinct phones voting "not this" that skip the song playing, or drop a requested song from the queue.',
    }),
    voteMin: Type.Integer({
      default: 10,
      minimum: 1,
      maximum: 240,
      description: 'How long a vote counts (min); a vote on the song playing also ends with the song.',
    }),
    callsPerMinute: Type.Integer({
      default: 60,
      minimum: 1,
      maximum: 6000,
      description:
        'Guest page calls one phone may make in a minute, and one network address as many for each phone behind it (a phone counts once it has been around two minutes; at most 30); more are refused for a while (429).',
    }),
    socketsMax: Type.Integer({
      default: 400,
      minimum: 1,
      maximum: 5000,
      description:
        'Guest pages open at once (their live link, `/ws/guest`), from every phone together; one more is refused (429) until one closes. It bounds the memory guests can take.',
    }),
    socketsPerAddress: Type.Integer({
      default: 8,
      minimum: 1,
      maximum: 64,
      description:
        'Guest pages open at once from one network address, one more for each further phone behind it (a phone counts once it has been around two minutes; at most 30 phones); one more is refused (429) until one closes.',
    }),
  },
  { additionalProperties: false, default: {} },
);
