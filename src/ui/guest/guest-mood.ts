import { html, nothing } from 'lit';
import '../components/mb-mood-face.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { GuestState } from '../data/guest-api.js';
import { i18n, moodName, t } from './guest-i18n.js';

/** The room's mood: its face, its name and what the music follows now. */
export function renderMood(s: GuestState) {
  const mood = s.mood.label;
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
