import { html, nothing, svg, type TemplateResult } from 'lit';
import '../components/mb-cover.js';
import type { GuestRequest, GuestState, GuestUpNext, GuestVote } from '../data/guest-api.js';
import { isToPlay } from '../data/guest-request-status.js';
import { i18n, t } from './guest-i18n.js';
import { expectedWords, placeWords, requestReason, requestStatus } from './guest-words.js';

/* The guest page's queue: what plays next (with each song's place, its time, votes on guests'
 * requests) and this phone's own requests (their place, time, what became of them, a way to take
 * one back). Rendered by `<mb-guest>`, which owns the state and the actions. */

export const ICON_UP = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M12 4l8 10h-5v6H9v-6H4z"/></svg>`;
export const ICON_DOWN = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M12 20l8-10h-5V4H9v6H4z"/></svg>`;

/** What the queue's buttons do, and what the page knows to draw them. */
export interface QueueContext {
  /** The action waiting for its answer (`vote:12`, `cancel:3`): its button is disabled meanwhile. */
  pending: string | null;
  /** This phone's clock (epoch ms), for "in 9 min". */
  now: number;
  /** The quiet hours: nothing plays until they end, so no song has a time to start. */
  isQuiet: boolean;
  vote(on: number, vote: GuestVote, title: string): void;
  cancel(request: GuestRequest): void;
  /** The message of the guest's last tap when it was tapped at a place `at` names (`next:<key>`), else nothing. */
  message(at: string | ((at: string) => boolean)): TemplateResult | typeof nothing;
}

/** "Next · about 14:41 (in 9 min)": where a song stands and when it should play. */
function whenWords(place: number, expectedAt: number | null, now: number): string {
  return expectedAt === null ? placeWords(place) : t('guest.when', { place: placeWords(place), expected: expectedWords(expectedAt, now) });
}

/** Up next: the player's next song and the guests' queue, in the order they play. */
export function renderUpNext(s: GuestState, ctx: QueueContext) {
  const mine = new Set(s.me.requests.filter((r) => isToPlay(r.status)).map((r) => r.id));
  return html`<section class="next" aria-label=${t('guest.upNext')}>
    <h2>${t('guest.upNext')}</h2>
    ${
      (s.quietUntil ?? null) !== null && s.upNext.length > 0
        ? html`<p class="quiet" data-quiet-hours>${t('guest.quietUpNext', { until: i18n.clock(s.quietUntil ?? '') })}</p>`
        : nothing
    }
    ${
      s.upNext.length === 0
        ? html`<p class="quiet">${t('guest.moodPicks')}</p>`
        : html`<ol>
            ${s.upNext.map((item) => renderNextItem(item, s.isOpen, mine.has(item.key) && item.isGuestRequest, ctx))}
          </ol>`
    }
    ${ctx.message((at) => at.startsWith('next:') && !s.upNext.some((item) => at === `next:${item.key}`))}
  </section>`;
}

function renderNextItem(item: GuestUpNext, isOpen: boolean, isMine: boolean, ctx: QueueContext) {
  const { track, votes } = item;
  const key = `vote:${item.key}`;
  return html`<li data-key=${item.key} ?data-mine=${isMine}>
    <mb-cover .src=${track.coverUrl} label=${track.title}></mb-cover>
    <div class="text">
      <div class="t">${track.title}</div>
      <div class="a">${track.artist}</div>
      <div class="when" data-when>${whenWords(item.place, ctx.isQuiet ? null : item.expectedAt, ctx.now)}</div>
      ${
        isMine
          ? html`<span class="chip" data-guest>${t('guest.yourRequest')}</span>`
          : item.isGuestRequest
            ? html`<span class="chip" data-guest>${t('guest.guestRequest')}</span>`
            : nothing
      }
    </div>
    ${
      // Guests vote on the songs guests asked for; the mood's own picks are the room's.
      isOpen && item.isGuestRequest
        ? html`<div class="votes">
            <button
              data-vote="up"
              aria-pressed=${votes.mine === 'up' ? 'true' : 'false'}
              aria-label=${t('guest.playSoonerLabel', { title: track.title, up: votes.up })}
              ?disabled=${ctx.pending === key}
              @click=${() => ctx.vote(item.key, votes.mine === 'up' ? 'none' : 'up', track.title)}
            >
              ${ICON_UP}<span class="count">${votes.up}</span>
            </button>
            <button
              data-vote="down"
              aria-pressed=${votes.mine === 'down' ? 'true' : 'false'}
              aria-label=${t('guest.notThisQueuedLabel', { title: track.title, down: votes.down })}
              ?disabled=${ctx.pending === key}
              @click=${() => ctx.vote(item.key, votes.mine === 'down' ? 'none' : 'down', track.title)}
            >
              ${ICON_DOWN}<span class="count">${votes.down}</span>
            </button>
          </div>`
        : nothing
    }
    ${ctx.message(`next:${item.key}`)}
  </li>`;
}

/** This phone's own requests, newest first: where each stands, or what became of it and why; one in the queue can be taken back. */
export function renderMine(s: GuestState, ctx: QueueContext) {
  if (s.me.requests.length === 0) return nothing;
  return html`<section class="mine" aria-label=${t('guest.yourRequests')}>
    <h2>${t('guest.yourRequests')}</h2>
    <ul>
      ${s.me.requests.map((request) => renderRequest(request, ctx))}
    </ul>
    ${ctx.message((at) => at.startsWith('mine:') && !s.me.requests.some((r) => at === `mine:${r.id}`))}
  </section>`;
}

function renderRequest(request: GuestRequest, ctx: QueueContext) {
  const isOpen = isToPlay(request.status);
  const when = request.place === null ? null : whenWords(request.place, ctx.isQuiet ? null : request.expectedAt, ctx.now);
  return html`<li data-request=${request.id} data-status=${request.status}>
    <div class="text">
      <div class="t">${request.track.title}</div>
      <div class="a">${request.track.artist}</div>
      ${when === null ? nothing : html`<div class="when" data-when>${when}</div>`}
      <p class="reason">${requestReason(request)}</p>
    </div>
    <div class="side">
      <span class="status">${request.status === 'queued' && request.place === 1 ? t('guest.next') : requestStatus(request)}</span>
      ${
        isOpen
          ? html`<button
              class="cancel"
              data-action="cancel"
              aria-label=${t('guest.takeBackLabel', { title: request.track.title })}
              ?disabled=${ctx.pending === `cancel:${request.id}`}
              @click=${() => ctx.cancel(request)}
            >
              ${t('guest.takeBack')}
            </button>`
          : nothing
      }
    </div>
    ${ctx.message(`mine:${request.id}`)}
  </li>`;
}
