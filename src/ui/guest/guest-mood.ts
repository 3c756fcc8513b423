import { html, nothing } from 'lit';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { GuestState } from '../data/guest-api.js';
import { i18n, moodName, t } from './guest-i18n.js';

/**
 * The mood the music follows: the room's as the camera reads it, with its face, its name and what
 * the music follows now; while staff hold the music to a mood, that mood, said to be the staff's
 * choice ("Upbeat · chosen by staff", `data-held`), and not the camera's reading, which the music
 * does not follow then. While the link to the daemon is down (`isStale`), the mood last known,
 * dimmed and said to be that.
 */
export function renderMood(s: GuestState, isStale = false) {
  const held = s.mood.isHeld === true ? (s.mood.music ?? '') : null;
  const mood = held === null ? s.mood.label : held === '' ? null : held;
  if (isStale) {
    // The link is down: the mood last known, dimmed, and said to be that rather than the room now.
    const look = mood === null ? null : moodLook(mood);
    return html`<div class="mood" aria-label=${t('guest.roomMood')} data-mood=${mood ?? 'unknown'} data-stale>
      ${mood === null ? nothing : html`<mb-mood-face mood=${mood}></mb-mood-face>`}
      <div>
        ${mood === null || look === null ? nothing : html`<div class="label">${moodName(mood, look.label)}</div>`}
        <p data-last-known>${t('guest.lastKnown')}</p>
      </div>
    </div>`;
  }
  if (held !== null) {
    // Staff chose the music's mood: it is what the music follows, and the header says whose choice it is.
    const look = mood === null ? null : moodLook(mood);
    return html`<div
      class="mood"
      aria-label=${t('guest.roomMood')}
      data-mood=${mood ?? 'held'}
      style=${look === null ? nothing : `color: ${look.colour}`}
    >
      ${mood === null ? nothing : html`<mb-mood-face mood=${mood}></mb-mood-face>`}
      <span class="label" data-held>
        ${mood === null || look === null ? t('guest.heldUnnamed') : t('guest.heldMood', { mood: moodName(mood, look.label) })}
      </span>
    </div>`;
  }
  if (mood === null) {
    // No mood: the camera is off or lost (the daemon says so in `why`), or it is reading the room.
    return html`<div class="mood" aria-label=${t('guest.roomMood')} data-mood=${s.mood.why === null ? 'reading' : 'unknown'}>
      <span class="label">${s.mood.why === null ? t('guest.readingRoom') : i18n.said(s.mood.whySaid, s.mood.why)}</span>
    </div>`;
  }
  const look = moodLook(mood);
  return html`<div class="mood" aria-label=${t('guest.roomMood')} data-mood=${mood} style="color: ${look.colour}">
    <mb-mood-face mood=${mood}></mb-mood-face>
    <div>
      <div class="label">${moodName(mood, look.label)}</div>
      ${s.mood.why === null ? nothing : html`<p>${i18n.said(s.mood.whySaid, s.mood.why)}</p>`}
    </div>
  </div>`;
}
