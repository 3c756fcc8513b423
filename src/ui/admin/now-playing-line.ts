import { html, nothing } from 'lit';
import type { PlayerState } from '../../daemon/http/contract.js';

/**
 * What plays, in one line for staff: a song as "**title** · artist"; a station as
 * "**station name** — what it says it plays" (its ICY title) while it says something, else its
 * name (and its artist line, when it has one).
 */
export function nowPlayingLine(player: Pick<PlayerState, 'nowPlaying' | 'streamTitle'>) {
  const now = player.nowPlaying;
  if (now === null) return nothing;
  const streamTitle = player.streamTitle ?? null;
  if (streamTitle !== null) return html`<strong>${now.title}</strong> — ${streamTitle}`;
  return html`<strong>${now.title}</strong>${now.artist === '' ? nothing : html` · ${now.artist}`}`;
}
