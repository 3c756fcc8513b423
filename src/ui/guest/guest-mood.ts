import { html, nothing } from 'lit';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { GuestState } from '../data/guest-api.js';
import { i18n, moodName, t } from './guest-i18n.js';

/**
 * The room's mood as the camera reads it: its face, its name and what the music follows now. A
 * staff hold is never shown as the room's mood: it is what the staff chose (`data-held`). While
 * the link to the daemon is down (`isStale`), the mood last known, dimmed and said to be that.
 */
export function renderMood(s: GuestState, isStale = false) {
  const mood = s.mood.label;
  const held = s.mood.isHeld === true;
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
  if (mood === null) {
    // No mood: the camera is off or lost (the daemon says so in `why`), or it is reading the room.
    return html`<div class="mood" aria-label=${t('guest.roomMood')} data-mood=${s.mood.why === null ? 'reading' : 'unknown'}>
      <span class="label" ?data-held=${held}>${s.mood.why === null ? t('guest.readingRoom') : i18n.said(s.mood.whySaid, s.mood.why)}</span>
    </div>`;
  }
  const look = moodLook(mood);
  return html`<div class="mood" aria-label=${t('guest.roomMood')} data-mood=${mood} style="color: ${look.colour}">
    <mb-mood-face mood=${mood}></mb-mood-face>
    <div>
      <div class="label">${moodName(mood, look.label)}</div>
      ${s.mood.why === null ? nothing : html`<p ?data-held=${held}>${i18n.said(s.mood.whySaid, s.mood.why)}</p>`}
    </div>
  </div>`;
}
