import { html, type TemplateResult, type nothing } from 'lit';
import type { SpotifyPlaylist, SpotifyStatus } from '../../data/admin-api.js';
import { formatNumber, moodName, t, type AdminKey } from '../admin-i18n.js';
import { MOODS } from './spotify-model.js';

/*
 * The Spotify page's playlists for moods: what is mapped now, mood by mood, and the account's
 * playlists, each with the mood it plays for; the changes picked here wait for Save.
 */

/** What the card shows, and what its form does. */
export interface PlaylistsCard {
  status: SpotifyStatus;
  /** The account's playlists; null while they load. */
  playlists: readonly SpotifyPlaylist[] | null;
  /** Playlist id → the mood picked and not saved yet ('' unmaps). */
  drafts: Readonly<Record<string, string>>;
  /** Something is being changed on the page: Save waits. */
  isBusy: boolean;
  /** The mapping is being saved. */
  isSaving: boolean;
  /** The card's message (what was saved, or why not). */
  messages: TemplateResult | typeof nothing;
  onSave: (event: Event) => Promise<void>;
  onDraft: (event: Event) => void;
  onDiscard: () => void;
}

/** The Playlists for moods card: the mapping saved now, then every playlist of the account with a mood to pick. */
export function renderPlaylists({ status: s, playlists, drafts, isBusy, isSaving, messages, onSave, onDraft, onDiscard }: PlaylistsCard) {
  if (playlists === null) {
    return html`<section class="card" aria-labelledby="playlists-h">
      <h3 id="playlists-h">${t('admin.spotify.playlistsTitle')}</h3>
      <p role="status">${t('admin.spotify.loadingPlaylists')}</p>
    </section>`;
  }
  const changes = Object.keys(drafts).length;
  const extra = playlists.map((p) => p.mood).filter((m): m is string => m !== null && !MOODS.some(([id]) => id === m));
  const own: AdminKey = 'admin.spotify.room.own';
  const moods = [...MOODS, ...[...new Set(extra)].map((m) => [m, own] as const)];
  return html`<section class="card" aria-labelledby="playlists-h">
    <h3 id="playlists-h">${t('admin.spotify.playlistsTitle')}</h3>
    <p class="muted">${t('admin.spotify.playlistsHelp', { isMixed: String(s.source === 'mixed') })}</p>
    ${renderMapping(playlists)} ${messages}
    ${
      playlists.length === 0
        ? html`<p class="muted">${t('admin.spotify.noPlaylists')}</p>`
        : html`<form aria-label=${t('admin.spotify.playlistsFormLabel')} @submit=${onSave} @change=${onDraft}>
            <table>
              <thead>
                <tr>
                  <th scope="col"><span class="muted">${t('admin.spotify.cover')}</span></th>
                  <th scope="col">${t('admin.spotify.playlist')}</th>
                  <th scope="col" class="num">${t('admin.spotify.songs')}</th>
                  <th scope="col">${t('admin.spotify.mood')}</th>
                </tr>
              </thead>
              <tbody>
                ${playlists.map((p) => {
                  const value = drafts[p.id] ?? p.mood ?? '';
                  return html`<tr data-playlist=${p.name} ?data-changed=${p.id in drafts}>
                    <td class="cover">
                      ${p.coverUrl === null ? html`<span class="none"></span>` : html`<img src=${p.coverUrl} alt="" loading="lazy" />`}
                    </td>
                    <td>${p.name} <span class="muted">${t('admin.spotify.by', { owner: p.owner })}</span></td>
                    <td class="num">${formatNumber(p.tracks)}</td>
                    <td>
                      <select name=${p.id} aria-label=${t('admin.spotify.moodForLabel', { playlist: p.name })}>
                        <option value="" ?selected=${value === ''}>${t('admin.spotify.notMapped')}</option>
                        ${moods.map(
                          ([id, room]) =>
                            html`<option value=${id} ?selected=${value === id}>
                              ${t('admin.spotify.moodOption', { mood: moodName(id), room: t(room) })}
                            </option>`,
                        )}
                      </select>
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>
            <div class="row" style="margin-top: 0.8em">
              <button type="submit" ?disabled=${changes === 0 || isBusy}>
                ${isSaving ? t('admin.spotify.saving') : t('admin.spotify.saveMapping')}
              </button>
              <button type="button" class="secondary" ?disabled=${changes === 0} @click=${onDiscard}>${t('admin.spotify.discard')}</button>
              <span class="muted" data-unsaved>${changes === 0 ? '' : t('admin.spotify.unsaved', { count: changes })}</span>
            </div>
          </form>`
    }
  </section>`;
}

/** The saved mapping, mood by mood. */
function renderMapping(playlists: readonly SpotifyPlaylist[]) {
  const byMood = new Map<string, string[]>();
  for (const p of playlists) if (p.mood !== null) byMood.set(p.mood, [...(byMood.get(p.mood) ?? []), p.name]);
  if (byMood.size === 0) return html`<p data-mapping="none">${t('admin.spotify.noneMapped')}</p>`;
  return html`<div data-mapping>
    <h4 style="margin: 0 0 0.3em">${t('admin.spotify.mappedNow')}</h4>
    <dl>
      ${[...byMood]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([mood, names]) =>
            html`<dt>${moodName(mood)}</dt>
              <dd data-mood=${mood}>${names.join(', ')}</dd>`,
        )}
    </dl>
  </div>`;
}
