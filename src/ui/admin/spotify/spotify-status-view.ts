import { html, nothing } from 'lit';
import type { SpotifyPlaylist, SpotifyStatus } from '../../data/admin-api.js';
import { t, tWith } from '../admin-i18n.js';
import { formatTime } from '../admin-styles.js';
import { sentence, stateOf } from './spotify-model.js';

/*
 * What the Spotify page says of where Spotify stands: why it is off on this box (a business, or no
 * Spotify app of the owner's), and the connected account's status line (Spotify plays, the library
 * plays instead and why, Spotify came back, or the music folders are chosen).
 */

/** Why Spotify is off here: a business, or no Spotify app configured. */
export function renderOff(s: SpotifyStatus, site: { kind: string; redirect: string } | null) {
  if (site?.kind !== 'home') {
    return html`<section class="card" data-off="business" aria-labelledby="off-h">
      <h3 id="off-h">${t('admin.spotify.businessTitle')}</h3>
      <p>${t('admin.spotify.businessWhy')}</p>
      <p class="muted">${tWith('admin.spotify.businessHome', { settings: settingsLink() })}</p>
    </section>`;
  }
  return html`<section class="card" data-off="no-app" aria-labelledby="off-h">
    <h3 id="off-h">${t('admin.spotify.noAppTitle')}</h3>
    <p>${s.why === null || s.why === undefined ? t('admin.spotify.notSetUp') : sentence(s.why)}</p>
    <ol>
      <li>${tWith('admin.spotify.noAppStep1', { site: html`<strong>${SPOTIFY_DEVELOPER}</strong>` })}</li>
      <li>${tWith('admin.spotify.noAppStep2', { address: html`<code>${site.redirect}</code>` })}</li>
      <li>${tWith('admin.spotify.noAppStep3', { settings: settingsLink() })}</li>
    </ol>
  </section>`;
}

/** Where a Spotify app is made: an address, the same in every language. */
const SPOTIFY_DEVELOPER = 'developer.spotify.com';

/** The link to the Settings page, inside a sentence. */
const settingsLink = () => html`<a href="#settings">${t('admin.spotify.settingsPage')}</a>`;

/** Connected; falling back to the library (since when, and why); or back on Spotify after a problem. */
export function stateLine(s: SpotifyStatus, playlists: readonly SpotifyPlaylist[] | null) {
  switch (stateOf(s)) {
    case 'local':
      return tWith('admin.spotify.stateLocal', { settings: settingsLink() });
    case 'fallback':
      return html`${tWith(
        s.problemSince === null ? 'admin.spotify.fallback' : 'admin.spotify.fallbackSince',
        { title: html`<strong>${t('admin.spotify.fallbackTitle')}</strong>` },
        { since: formatTime(s.problemSince), problem: sentence(s.problem ?? '') },
      )}`;
    case 'recovered':
      return tWith(
        'admin.spotify.recovered',
        { title: html`<strong>${t('admin.spotify.recoveredTitle')}</strong>` },
        { since: formatTime(s.recovered?.at ?? null), problem: sentence(s.recovered?.problem ?? '') },
      );
    case 'playing':
      if (playlists !== null && !playlists.some((p) => p.mood !== null)) {
        return tWith('admin.spotify.connectedUnmapped', { title: html`<strong>${t('admin.spotify.connectedTitle')}</strong>` });
      }
      return tWith(
        'admin.spotify.connectedPlaying',
        { title: html`<strong>${t('admin.spotify.connectedColon')}</strong>` },
        { isMixed: String(s.source === 'mixed') },
      );
    default:
      return nothing;
  }
}
