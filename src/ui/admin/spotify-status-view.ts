import { html, nothing } from 'lit';
import type { SpotifyPlaylist, SpotifyStatus } from '../data/admin-api.js';
import { formatTime } from './admin-styles.js';
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
      <h3 id="off-h">Spotify is off: this Moodbox plays in a business</h3>
      <p>
        Spotify's terms license its music for personal, family use only: a café, a shop or an office may not play it to its guests, even
        from a paid account. A business plays music it may play in public: its own music folders, or a stream licensed for it. That is why
        Moodbox plays the local library here.
      </p>
      <p class="muted">
        If this Moodbox plays in a home, set “Where Moodbox plays” to “A home” on the <a href="#settings">Settings page</a>; this page then
        offers to connect Spotify.
      </p>
    </section>`;
  }
  return html`<section class="card" data-off="no-app" aria-labelledby="off-h">
    <h3 id="off-h">Spotify needs a Spotify app of your own</h3>
    <p>${sentence(s.why ?? 'Spotify is not set up on this box.')}</p>
    <ol>
      <li>Sign in at <strong>developer.spotify.com</strong> with your Spotify account and create an app (it is free).</li>
      <li>Add this redirect address to the app: <code>${site.redirect}</code></li>
      <li>Put the app's Client ID under Spotify on the <a href="#settings">Settings page</a>, save, and restart Moodbox.</li>
    </ol>
  </section>`;
}

/** Connected; falling back to the library (since when, and why); or back on Spotify after a problem. */
export function stateLine(s: SpotifyStatus, playlists: readonly SpotifyPlaylist[] | null) {
  switch (stateOf(s)) {
    case 'local':
      return html`Spotify is connected but does not play: music comes from the music folders. Choose Spotify or both under “Where the music
        comes from” on the <a href="#settings">Settings page</a>.`;
    case 'fallback':
      return html`<strong>Falling back to the local library</strong
        >${s.problemSince === null ? '' : ` since ${formatTime(s.problemSince)}`}: ${sentence(s.problem ?? '')} Moodbox tries Spotify again
        every few seconds and goes back to it by itself.`;
    case 'recovered':
      return html`<strong>Recovered:</strong> Spotify plays again since ${formatTime(s.recovered?.at ?? null)}. Before, the library played:
        ${sentence(s.recovered?.problem ?? '')}`;
    case 'playing':
      if (playlists !== null && !playlists.some((p) => p.mood !== null)) {
        return html`<strong>Connected.</strong> No playlist is mapped to a mood yet, so the music folders play: map some below.`;
      }
      return html`<strong>Connected:</strong> Spotify plays the playlists mapped to the room's
        moods${s.source === 'mixed' ? ', and the music folders play for the other moods' : ''}.`;
    default:
      return nothing;
  }
}
