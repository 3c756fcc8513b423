import type { GuestRequest } from '../../daemon/http/contract.js';

type Status = GuestRequest['status'];

/** A guest's request still to play: in the queue, or waiting for the room or the staff. */
export function isToPlay(status: Status): boolean {
  return status === 'queued' || status === 'waiting';
}

/** A guest's request not over: still to play, or playing now. */
export function isOpen(status: Status): boolean {
  return isToPlay(status) || status === 'playing';
}
