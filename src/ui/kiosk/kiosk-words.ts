import { html, nothing } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { moodColour } from '../components/mood-colours.js';
import { i18n, t } from './kiosk-i18n.js';

/* The kiosk's words and its attract screen: what it says of time, kept out of `<mb-kiosk>`. */

/** "21:05", "9:05 PM": a time of day as the kiosk's language writes it, as the other screens do (`times.ts`). */
export function clockTime(epochMs: number): string {
  return i18n.time(epochMs);
}

/** "Ann, you were signed out after 2 minutes without a tap.": whole minutes as minutes, else seconds. */
export function signedOutIdle(name: string, seconds: number): string {
  const isMinutes = seconds >= 60 && seconds % 60 === 0;
  return t('kiosk.signedOutIdle', { name, unit: isMinutes ? 'minutes' : 'seconds', count: isMinutes ? seconds / 60 : seconds });
}

/**
 * The attract screen: what Moodbox does, what plays, and that a tap anywhere wakes the full screen
 * (`wake`). Its words are its name, as a screen reader says it.
 */
export function renderAttract(s: StateSnapshot, wake: () => void) {
  const now = s.player.nowPlaying;
  const colour = moodColour(now?.moods[0] ?? 'nobody');
  return html`<button class="attract" data-state="attract" style="--accent: ${colour}" @click=${wake}>
    <mb-mood-face mood="nobody" style="color: ${colour}"></mb-mood-face>
    <span class="big">${t('kiosk.brand')}</span>
    <span class="line">${t('kiosk.attractLine')}</span>
    ${
      now
        ? html`<span class="playing" data-state="attract-playing">
            <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
            <span><strong>${now.title}</strong><br />${now.artist}</span>
          </span>`
        : nothing
    }
    <span class="hint">${s.suggestions.length > 0 ? t('kiosk.tapToChoose') : t('kiosk.tapAnywhereToStart')}</span>
  </button>`;
}
