import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LibraryState, MoodState, TrackView } from '../../daemon/http/contract.js';
import '../components/mb-cover.js';
import { moodLook } from '../components/mb-mood-face.js';
import { moodColour } from '../components/mood-colours.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, moodName, t } from './kiosk-i18n.js';
import { KIOSK_BASE } from './kiosk-styles.js';

export const ICON_LIKE = svg`<svg viewBox="0 0 24 24" aria-hidden="true" width="1em" height="1em" fill="currentColor"><path d="M12 21s-7.5-4.6-9.6-9.2C.9 8.3 3 4.5 6.7 4.5c2.1 0 3.6 1.2 5.3 3 1.7-1.8 3.2-3 5.3-3 3.7 0 5.8 3.8 4.3 7.3C19.5 16.4 12 21 12 21z"/></svg>`;

/**
 * Why a suggestion, in a guest's words and about the song itself: for a pick by the mood (or one of
 * the closest when few fit), the song's own mood ("Mellow"); else the recommender's reason in the
 * kiosk's language, short enough for a chip: its first clause, capitalised ("you liked it; fits
 * calm" → "You liked it"; every catalogue puts the mood after a semicolon).
 */
export function whyChip(track: TrackView): string | null {
  if (track.whyKind === 'mood' || track.whyKind === 'fallback') {
    const own = track.moods[0];
    return own === undefined ? t('kiosk.somethingDifferent') : moodName(own, moodLook(own).label);
  }
  const why = track.why === undefined ? '' : i18n.said(track.whySaid, track.why);
  const first = why.split(';')[0]?.trim() ?? '';
  return first === '' ? null : first.charAt(0).toUpperCase() + first.slice(1);
}

/** Why the library has nothing to offer: its folders hold no songs, or one cannot be read. */
export type LibraryGap = 'empty' | 'unreadable';

/** Why the library has nothing to offer once a scan has looked at it, or null while it has songs, a scan runs or none has run. */
export function libraryGap(library: LibraryState): LibraryGap | null {
  if (library.tracks > 0 || library.scanning || library.lastScan === null) return null;
  // Folders that could not be scanned are named to the box's own kiosk only; elsewhere the library just reads empty.
  return library.lastScan.problems.length > 0 ? 'unreadable' : 'empty';
}

/**
 * The admin panel's address as the owner can open it: beside the guest page's (the box as phones in
 * the room reach it) when guests may ask, else where this kiosk page is served from.
 */
export function adminAddress(guestUrl: string | null, origin: string): string {
  return guestUrl === null ? `${origin}/admin` : guestUrl.replace(/\/guest\/?$/, '/admin');
}

/**
 * Up to six suggestions to tap, two to a row (one in a narrow portrait screen): each with its
 * cover, title, artist and why, marked when it was picked for the signed-in person or they like it.
 * Says once for the screen when few songs fit the mood, and what an admin can do when none do, or
 * when the library itself has none: where the music folders are chosen, at the admin panel's address.
 *
 * @summary The kiosk's suggestions.
 * @event mb-track-play - A tile was tapped: `{track}`.
 */
@customElement('mb-suggestions')
export class MbSuggestions extends LitElement {
  static override styles = [
    KIOSK_BASE,
    css`
      :host {
        display: grid;
        min-height: 0;
        min-width: 0;
      }
      .tiles {
        display: grid;
        grid-template-rows: auto minmax(0, 1fr);
        gap: 0.35em;
        min-height: 0;
        min-width: 0;
      }
      h2 {
        margin: 0;
        font-size: max(var(--mb-min-text), 0.75em);
        text-transform: uppercase;
        letter-spacing: 0.08em;
        color: #c3ced8;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        column-gap: 0.8em;
        min-width: 0;
      }
      .few,
      .quiet {
        margin: 0;
        font-size: max(var(--mb-min-text), 0.75em);
        color: #ffd166;
      }
      .grid {
        /* --rows is set from the number of suggestions; the cover fills the tile's height, but no
           more than a sixth of the screen's width: the words get the room. */
        --cover: min(7vw, calc((100dvh - 9em - (var(--rows) - 1) * 0.5em) / var(--rows) - 1.3em));
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        grid-template-rows: repeat(var(--rows), minmax(0, 1fr));
        gap: 0.5em;
        min-height: 0;
      }
      .tile {
        display: grid;
        grid-template-columns: var(--cover) minmax(0, 1fr);
        align-items: center;
        gap: 0.5em;
        padding: 0.15em 0.4em;
        border: 2px solid rgb(255 255 255 / 0.12);
        border-radius: 0.7em;
        background: rgb(22 30 39 / 0.78);
        text-align: start;
        min-width: 0;
        min-height: 0;
        overflow: hidden;
      }
      .tile:active {
        border-color: #ffd166;
      }
      .tile[data-for-you] {
        border-color: color-mix(in srgb, var(--accent, #ffd166) 70%, transparent);
      }
      .tile mb-cover {
        --mb-cover-size: var(--cover);
      }
      .text {
        display: grid;
        align-content: center;
        gap: 0.1em;
        min-width: 0;
        font-size: max(var(--mb-min-text), 0.88em);
        line-height: 1.08;
      }
      .t {
        font-weight: 700;
        overflow-wrap: anywhere;
      }
      /* Long titles wrap in a smaller size rather than being cut, but never under the smallest text. */
      .t.long {
        font-size: max(var(--mb-min-text), 0.92em);
      }
      .t.longer {
        font-size: max(var(--mb-min-text), 0.85em);
      }
      .a {
        font-size: max(var(--mb-min-text), 0.88em);
        color: #c3ced8;
        overflow-wrap: anywhere;
      }
      /* The artist, and the why beside it when there is room. */
      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.1em 0.5em;
        min-width: 0;
      }
      .why {
        max-width: 100%;
        padding: 0 0.55em;
        border-radius: 1em;
        /* Tight lines, so that a tile keeps its height. */
        font-size: max(var(--mb-min-text), 0.75em);
        line-height: 1.1;
        font-weight: 700;
        color: #0d1117;
        background: var(--chip, #c3ced8);
        overflow-wrap: anywhere;
      }
      .why.for-you::before {
        content: '★ ';
      }
      .liked {
        display: inline-flex;
        color: #ff8fa0;
      }
      .empty {
        margin: 0.4em 0 0;
        padding: 0.8em 1em;
        border: 2px dashed #4a5a6a;
        border-radius: 0.6em;
        color: #dbe3ea;
      }
      @media (orientation: portrait) {
        .grid {
          --cover: min(20vw, 14vh);
        }
        .text {
          font-size: 1.05em;
        }
      }
      /* Beside the guests' QR code on a landscape screen up to 720 px high, or the large code on a
         portrait one: as many rows as fit, the tiles as large as before (on 800x480, four beside the
         card and two beside the large code; six and four up to 720 px). */
      @media (orientation: landscape) and (max-height: 720px) {
        :host([qr]) .grid {
          grid-template-rows: none;
          grid-auto-rows: minmax(0, 1fr);
        }
      }
      @media (orientation: landscape) and (max-height: 560px) {
        :host([qr='card']) .tile:nth-child(n + 5),
        :host([qr='large']) .tile:nth-child(n + 3) {
          display: none;
        }
        :host([qr='large']) .grid {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      @media (orientation: landscape) and (min-height: 561px) and (max-height: 720px) {
        :host([qr='large']) .tile:nth-child(n + 5) {
          display: none;
        }
      }
      @media (orientation: portrait) {
        :host([qr='large']) .grid {
          grid-template-rows: none;
          grid-auto-rows: minmax(0, 1fr);
        }
        :host([qr='large']) .tile:nth-child(n + 3) {
          display: none;
        }
      }
      /* A narrow portrait screen: one column of wide tiles. */
      @media (orientation: portrait) and (max-width: 700px) {
        .tile {
          padding: 0.25em 0.4em;
        }
        /* A title, its artist and a why that wraps still fit a tile a sixth of the screen high. */
        .text {
          gap: 0;
          line-height: 1;
        }
        .why {
          line-height: 1;
        }
        .grid {
          --cover: min(15vw, 6.4vh);
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: repeat(calc(var(--rows) * 2), minmax(0, 1fr));
        }
      }
    `,
  ];

  /** The suggestions, best first; the first six show. */
  @property({ attribute: false }) tracks: readonly TrackView[] = [];
  /** The signed-in person's name, or null for the room. */
  @property({ attribute: false }) person: string | null = null;
  /** The mood the music follows now (the room's, or the one staff hold), for the line shown when few songs or none fit it. */
  @property({ attribute: false }) mood: MoodState['current'] = null;
  /**
   * How the guests' QR code shows beside the tiles (`card`, `large`), or none: on a short landscape
   * screen, or the large code on a portrait one, the code takes the room of some tiles.
   */
  @property({ reflect: true }) qr: 'card' | 'large' | null = null;
  /** The tracks the signed-in person likes. */
  @property({ attribute: false }) liked: ReadonlySet<number> = new Set();
  /** Why the library itself has no songs (said in place of the suggestions), or null. */
  @property({ attribute: false }) library: LibraryGap | null = null;
  /** The admin panel's address, named where the library has no songs. */
  @property({ attribute: false }) adminUrl = '';
  /**
   * While it is the quiet hours, when they end as the kiosk writes a time (`7:00 AM`, the box's
   * clock), or '' when that is not known; null outside them. A tap plays nothing then, and the
   * tiles say so instead of inviting one.
   */
  @property({ attribute: false }) quietUntil: string | null = null;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const tracks = this.tracks.slice(0, 6);
    const mood = this.mood;
    if (tracks.length === 0) {
      // Issue 82: an empty or unreadable library says so, and where an admin fixes it.
      const text =
        this.library !== null
          ? t('kiosk.noLibrary', { why: this.library, address: this.adminUrl })
          : mood !== null && mood !== 'nobody'
            ? t('kiosk.noMusicForMood', { mood: moodName(mood, moodLook(mood).label) })
            : t('kiosk.noSongs');
      return html`<section class="tiles" aria-label=${t('kiosk.suggestions')} data-state="empty">
        <h2>${t('kiosk.suggestions')}</h2>
        <p class="empty">${text}</p>
      </section>`;
    }
    // Said once for the screen, not on every tile: few songs fit the mood, so these are the closest.
    // Not when each stand-in is a song of the mood itself (the recent plays held it back): those fit.
    const isFewFit = tracks.some((t) => t.whyKind === 'fallback' && t.whySaid?.id !== 'pick.ownMood');
    const aim = mood !== null && mood !== 'nobody' ? moodName(mood, moodLook(mood).label).toLocaleLowerCase(i18n.locale) : null;
    const quiet = this.quietUntil;
    const heading =
      this.person !== null ? t('kiosk.forYou', { name: this.person }) : quiet !== null ? t('kiosk.suggestions') : t('kiosk.tapToPlay');
    return html`<section class="tiles" aria-label=${t('kiosk.suggestions')}>
      <div class="head">
        <h2>${heading}</h2>
        ${
          quiet === null
            ? nothing
            : html`<p class="quiet" data-quiet-tap>${quiet === '' ? t('kiosk.quietTapNoEnd') : t('kiosk.quietTap', { until: quiet })}</p>`
        }
        ${isFewFit ? html`<p class="few">${aim === null ? t('kiosk.fewFitNow') : t('kiosk.fewFitMood', { mood: aim })}</p>` : nothing}
      </div>
      <div class="grid" style="--rows: ${Math.ceil(tracks.length / 2)}">${tracks.map((track) => this.#renderTile(track))}</div>
    </section>`;
  }

  #renderTile(track: TrackView) {
    const mood = track.moods[0] ?? null;
    const why = whyChip(track);
    // Picked from the signed-in person's own taste (likes, artists, language, what was learned of them): marked as theirs.
    const isForYou = this.person !== null && track.isPersonalPick === true;
    const isLiked = this.person !== null && this.liked.has(track.id);
    return html`<button
      class="tile"
      data-track-id=${track.id}
      ?data-for-you=${isForYou}
      ?data-liked=${isLiked}
      aria-label=${t('kiosk.playLabel', {
        title: track.title,
        artist: track.artist,
        hasWhy: why ? 'yes' : 'no',
        why: why ?? '',
        forYou: isForYou ? 'yes' : 'no',
        liked: isLiked ? 'yes' : 'no',
      })}
      @click=${() => emit(this, 'mb-track-play', { track })}
    >
      <mb-cover .src=${track.coverUrl} label=${track.title} .mood=${mood}></mb-cover>
      <span class="text">
        <span class="t ${track.title.length > 36 ? 'longer' : track.title.length > 22 ? 'long' : ''}">${track.title}</span>
        <span class="meta">
          <span class="a">${isLiked ? html`<span class="liked" aria-hidden="true">${ICON_LIKE}</span> ` : nothing}${track.artist}</span>
          ${why ? html`<span class="why ${isForYou ? 'for-you' : ''}" style="--chip: ${moodColour(mood ?? '')}">${why}</span>` : nothing}
        </span>
      </span>
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-suggestions': MbSuggestions;
  }
}
