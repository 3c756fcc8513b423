import { html, nothing } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { moodColour } from '../components/mood-colours.js';

/* The kiosk's words and its attract screen: what it says of time, kept out of `<mb-kiosk>`. */

/** "21:05": a time of day on the 24-hour clock. */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "2 minutes", "45 seconds": the idle time in the sign-out announcement. */
export function duration(seconds: number): string {
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} minutes`;
  return seconds === 60 ? '1 minute' : `${seconds} seconds`;
}

/**
 * The attract screen: what Moodbox does, what plays, and that a tap anywhere wakes the full screen
 * (`wake`).
 */
export function renderAttract(s: StateSnapshot, wake: () => void) {
  const now = s.player.nowPlaying;
  const colour = moodColour(now?.moods[0] ?? 'nobody');
  return html`<button
    class="attract"
    data-state="attract"
    aria-label="Moodbox: tap to choose a song"
    style="--accent: ${colour}"
    @click=${wake}
  >
    <mb-mood-face mood="nobody" style="color: ${colour}"></mb-mood-face>
    <span class="big">Moodbox</span>
    <span class="line"
      >The music follows the mood of the room: step in front of the camera and the songs and this colour change with you.</span
    >
    ${
      now
        ? html`<span class="playing" data-state="attract-playing">
            <mb-cover .src=${now.coverUrl} label=${now.title} .mood=${now.moods[0] ?? null}></mb-cover>
            <span><strong>${now.title}</strong><br />${now.artist}</span>
          </span>`
        : nothing
    }
    <span class="hint">${s.suggestions.length > 0 ? 'Tap anywhere to choose a song.' : 'Tap anywhere to start.'}</span>
  </button>`;
}
