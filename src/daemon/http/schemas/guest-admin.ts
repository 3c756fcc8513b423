import { Type } from 'typebox';
import { GuestRequestSchema, GuestTrackSchema } from './guest.js';

/** Votes as staff see them: counts only, never which phone. */
const VoteCounts = Type.Object({ up: Type.Integer({ minimum: 0 }), down: Type.Integer({ minimum: 0 }) });

/** Guests' requests and votes for staff (`GET /api/admin/guests`): what asks and how the room votes, never who. */
export const GuestAdminSchema = Type.Object({
  /** Guests may ask, like and vote now (`guests.requests`). */
  isOpen: Type.Boolean(),
  /** Requests of the last hour and every one still in the queue, newest first. */
  requests: Type.Array(
    Type.Object({
      ...GuestRequestSchema.properties,
      votes: VoteCounts,
    }),
  ),
  /** Requests wait for the staff's yes (`guests.approval`). */
  needsApproval: Type.Boolean(),
  /** The song playing now: guests' likes and votes on it; null while nothing plays. */
  nowPlaying: Type.Union([Type.Object({ track: GuestTrackSchema, likes: Type.Integer({ minimum: 0 }), votes: VoteCounts }), Type.Null()]),
  /** Distinct "not this" votes that skip a song or drop a request. */
  downNeeded: Type.Integer({ minimum: 1 }),
});

export const GuestRequestIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
