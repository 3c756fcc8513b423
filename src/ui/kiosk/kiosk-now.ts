import { html, nothing, svg, type TemplateResult } from 'lit';
import type { StateSnapshot, TrackView } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import { moodColour } from '../components/mood-colours.js';
import { sentence } from '../components/words.js';
import { i18n, moodName, t } from './kiosk-i18n.js';
import { clockTime } from './kiosk-words.js';
import { ICON_LIKE } from './mb-suggestions.js';

/*
 * The kiosk's now-playing side: the room mood badge, the song playing with its cover, why it plays,
 * its progress, Like and Skip for the person signed in, and what plays next; behind the screen,
 * the playing song's cover, blurred.
 */

const ICON_SKIP = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M4 5l10 7-10 7zM15 5l8 7-8 7z"/></svg>`;
/** " · asked for by a guest" after the next song's name, when a guest's phone asked for it. */
/** The next song's line: its title, and its artist where the file names one (no stray separator). */
const nextLine = (track: TrackView) =>
  track.artist.trim() === ''
    ? t('kiosk.nextNoArtist', { title: track.title })
    : t('kiosk.next', { title: track.title, artist: track.artist });
const asked = (track: TrackView) => (track.whyKind === 'guest' ? html`<span data-guest> · ${t('kiosk.askedByGuest')}</span>` : nothing);

/** What the now-playing side shows besides the daemon's state, and what its buttons do. */
export interface NowView {
  /** Where the song playing is (ms): the daemon's position, counted on while it plays. */
  positionMs: number;
  /** The guest page's code as a card beside the music (`data-qr`: the venue's `guests.kioskQr`), or null. */
  qrCard: TemplateResult | null;
  /** The tracks the person signed in likes. */
  liked: ReadonlySet<number>;
  onLike: (track: TrackView) => Promise<void>;
  onSkip: (track: TrackView) => Promise<void>;
  /** The link to the daemon is down: the mood and the song are the last known, and say so. @default false */
  isStale?: boolean;
}

/** Before the daemon's first state: where the room mood shows, a word that Moodbox is on its way. */
export function renderConnecting() {
  return html`<section class="now" aria-label=${t('kiosk.roomMood')}>
    <div class="mood"><div class="label">${t('kiosk.connecting')}</div></div>
  </section>`;
}

/** The cover of what plays, blurred, behind the screen; a glow in the music's mood colour when it has none. */
export function renderBackdrop(track: TrackView | null) {
  if (track === null) return nothing;
  if (track.coverUrl) return html`<div class="backdrop" aria-hidden="true" style="background-image: url('${track.coverUrl}')"></div>`;
  const colour = moodColour(track.moods[0] ?? '');
  return html`<div
    class="backdrop generated"
    aria-hidden="true"
    style="background: radial-gradient(circle at 30% 40%, ${colour}55, transparent 60%)"
  ></div>`;
}

/**
 * The room mood badge and the line under it, which always agree: both come from the mood and the
 * face count in the daemon's state (what the dashboard shows). A staff hold is what plays, so it
 * is what the badge says, and the line says when the music follows the room again.
 */
export function renderMood(s: StateSnapshot, isStale = false) {
  const held = s.mood.held ?? null;
  if (isStale) {
    // The link is down: the mood last known, never "3 faces, mostly looking relaxed" as if read now.
    const mood = held?.music ?? s.mood.current;
    const look = mood === null ? null : moodLook(mood);
    return html`<div class="mood" aria-label=${t('kiosk.roomMood')} data-state="stale" style="color: #c3ced8">
      ${mood === null ? nothing : html`<mb-mood-face mood=${mood}></mb-mood-face>`}
      <div>
        ${mood === null || look === null ? nothing : html`<div class="label">${moodName(mood, look.label)}</div>`}
        <p data-last-known>${t('kiosk.lastKnown')}</p>
      </div>
    </div>`;
  }
  if (held !== null) {
    const music = held.music;
    const until = clockTime(held.until);
    return html`<div
      class="mood"
      aria-label=${t('kiosk.roomMood')}
      data-state="held"
      data-mood=${music}
      style="color: ${moodLook(music).colour}"
    >
      <mb-mood-face mood=${music}></mb-mood-face>
      <div>
        <div class="label">${t('kiosk.staffPick', { mood: moodName(music, music).toLocaleLowerCase(i18n.locale), until })}</div>
        <p>
          ${
            s.camera.status === 'off' || s.camera.status === 'unavailable'
              ? t(s.camera.status === 'off' ? 'kiosk.heldCameraOff' : 'kiosk.heldCameraBroken', { until })
              : t('kiosk.heldFollowsAgain', { until })
          }
        </p>
      </div>
    </div>`;
  }
  if (s.camera.status === 'unavailable' || s.camera.status === 'off') {
    const isOff = s.camera.status === 'off';
    return html`<div
      class="mood"
      aria-label=${t('kiosk.roomMood')}
      data-state=${isOff ? 'camera-off' : 'camera-unavailable'}
      style="color: #c3ced8"
    >
      <div>
        <div class="label">${isOff ? t('kiosk.camera.off') : t('kiosk.camera.unavailable')}</div>
        <p>
          ${isOff ? t('kiosk.cameraOffLine') : s.camera.detail === null ? t('kiosk.cameraReconnecting') : i18n.said(s.camera.said, s.camera.detail)}
        </p>
      </div>
    </div>`;
  }
  const mood = s.mood.current;
  // Someone came into view and their mood is not read yet: "Nobody here" over "1 face in view" would contradict itself.
  if (mood === null || (mood === 'nobody' && s.mood.faces > 0)) {
    return html`<div class="mood" aria-label=${t('kiosk.roomMood')} data-state="reading" style="color: #c3ced8">
      <div>
        <div class="label">${t('kiosk.readingRoom')}</div>
        ${s.mood.faces > 0 && s.mood.why ? html`<p>${i18n.said(s.mood.whySaid, s.mood.why)}</p>` : nothing} ${renderDayPlan(s)}
      </div>
    </div>`;
  }
  const look = moodLook(mood);
  return html`<div class="mood" aria-label=${t('kiosk.roomMood')} data-state="mood" data-mood=${mood} style="color: ${look.colour}">
    <mb-mood-face mood=${mood}></mb-mood-face>
    <div>
      <div class="label">${moodName(mood, look.label)}</div>
      ${s.mood.why ? html`<p>${i18n.said(s.mood.whySaid, s.mood.why)}</p>` : nothing} ${renderDayPlan(s)}
      ${
        s.mood.isPersonal === true && s.session.user !== null
          ? html`<span class="calibrated" data-calibrated role="status">${t('kiosk.calibrated')}</span>`
          : nothing
      }
    </div>
  </div>`;
}

/** The day plan in force, under the room's mood: its name and the library mood it leans toward ("Day plan: lunch · Upbeat"). */
function renderDayPlan(s: StateSnapshot) {
  const plan = s.dayPlan;
  if (plan === null) return nothing;
  return html`<p class="plan" data-day-plan>
    ${plan.mood === '' ? t('kiosk.dayPlanNoLean', { name: plan.name }) : t('kiosk.dayPlan', { name: plan.name, mood: moodName(plan.mood, plan.mood) })}
  </p>`;
}

/** The song playing (or what plays next when nothing does) under the room mood badge. */
export function renderNow(s: StateSnapshot, { positionMs, qrCard, liked, onLike, onSkip, isStale = false }: NowView) {
  const now = s.player.nowPlaying;
  const next = s.player.next;
  const user = s.session.user;
  if (now === null) {
    return html`<section
      class="now"
      aria-label=${t('kiosk.nowPlaying')}
      data-state="stopped"
      data-qr=${qrCard === null ? nothing : (s.guests.kioskQr ?? 'card')}
    >
      ${renderMood(s, isStale)}${qrCard ?? nothing}
      <mb-cover label=${next?.title ?? 'Moodbox'} .src=${next?.coverUrl ?? null} .mood=${next?.moods[0] ?? s.mood.current}></mb-cover>
      <div class="text">
        <h2>${isStale ? t('kiosk.lastKnown') : quietUntil(s) === null ? t('kiosk.nowPlaying') : t('kiosk.quietHours')}</h2>
        <div class="title">${t('kiosk.nothingPlaying')}</div>
        ${renderQuiet(s)}
        ${
          next
            ? html`<p class="next">${nextLine(next)}${asked(next)}</p>`
            : quietUntil(s) === null
              ? html`<p class="next">${t('kiosk.tapToStart')}</p>`
              : nothing
        }
      </div>
    </section>`;
  }
  const share = now.durationMs ? Math.min(1, positionMs / now.durationMs) : 0;
  return html`<section
    class="now"
    aria-label=${t('kiosk.nowPlaying')}
    data-state=${s.player.status}
    data-qr=${qrCard === null ? nothing : (s.guests.kioskQr ?? 'card')}
  >
    ${renderMood(s, isStale)}${qrCard ?? nothing}
    <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
    <div class="text">
      <h2>${isStale ? t('kiosk.lastKnown') : t(nowHeading(s))}</h2>
      ${renderTitle(now, s.player.streamTitle ?? null)}${
        quietUntil(s) !== null
          ? renderQuiet(s)
          : s.player.status === 'stalled'
            ? html`<p class="playing-why stalled" role="status" data-stalled>${t('kiosk.noSoundLine')}</p>`
            : now.whyKind === 'guest'
              ? html`<span class="asked" data-guest>${t('kiosk.askedByGuestChip')}</span>`
              : now.why
                ? html`<p class="playing-why" data-why>${sentence(i18n.said(now.whySaid, now.why))}</p>`
                : nothing
      }
      <div
        class="progress"
        role="progressbar"
        aria-label=${t('kiosk.progress')}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(share * 100)}
      >
        <div style="width: ${(share * 100).toFixed(1)}%"></div>
      </div>
      ${next ? html`<p class="next">${nextLine(next)}${asked(next)}</p>` : nothing}
      ${
        user
          ? html`<div class="actions">
              <button
                data-action="like"
                aria-pressed=${liked.has(now.id) ? 'true' : 'false'}
                aria-label=${t(liked.has(now.id) ? 'kiosk.unlikeLabel' : 'kiosk.likeLabel', { title: now.title })}
                @click=${() => onLike(now)}
              >
                ${ICON_LIKE} ${liked.has(now.id) ? t('kiosk.liked') : t('kiosk.like')}
              </button>
              <button data-action="skip" aria-label=${t('kiosk.skipLabel', { title: now.title })} @click=${() => onSkip(now)}>
                ${ICON_SKIP} ${t('kiosk.skip')}
              </button>
            </div>`
          : nothing
      }
    </div>
  </section>`;
}

/** While it is the quiet hours, when they end (`HH:MM` on the box's clock); else null. */
function quietUntil(s: StateSnapshot): string | null {
  return s.quietHours ? (s.quietUntil ?? '') : null;
}

/** The heading over the song: the quiet hours say why nothing plays, before "Paused" would. */
function nowHeading(s: StateSnapshot): 'kiosk.quietHours' | 'kiosk.paused' | 'kiosk.noSound' | 'kiosk.nowPlaying' {
  if (quietUntil(s) !== null && s.player.status !== 'playing') return 'kiosk.quietHours';
  return s.player.status === 'paused' ? 'kiosk.paused' : s.player.status === 'stalled' ? 'kiosk.noSound' : 'kiosk.nowPlaying';
}

/** "No music until 7:00 AM: these are the quiet hours.": why the box is silent, while it is. */
function renderQuiet(s: StateSnapshot) {
  const until = quietUntil(s);
  if (until === null) return nothing;
  return html`<p class="playing-why" role="status" data-quiet-hours>
    ${until === '' ? t('kiosk.quietLineNoEnd') : t('kiosk.quietLine', { until: i18n.clock(until) })}
  </p>`;
}

/** The song and its artist; for a station, what it says it plays (its ICY title) over the station's name. */
function renderTitle(now: TrackView, streamTitle: string | null) {
  const title = streamTitle ?? now.title;
  return html`<div class="title ${title.length > 30 ? 'longer' : ''}">${title}</div>
    <div class="artist">${streamTitle === null ? now.artist : now.title}</div>`;
}
