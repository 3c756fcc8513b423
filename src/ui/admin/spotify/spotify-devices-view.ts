import { html, nothing, type TemplateResult } from 'lit';
import type { SpotifyDevice, SpotifyStatus } from '../../data/admin-api.js';
import { t, tWith } from '../admin-i18n.js';
import { sameName } from './spotify-model.js';

/*
 * The Spotify page's Connect devices: the one Moodbox plays on, remembered by name, picked from
 * those Spotify lists now (the device named after this box preferred), and the remembered one
 * still listed while it is off.
 */

/** What the card shows, and what it does. */
export interface DevicesCard {
  status: SpotifyStatus;
  /** The devices Spotify lists now; null while they load. */
  devices: readonly SpotifyDevice[] | null;
  /** A choice is being saved: the list waits. */
  isChoosing: boolean;
  /** The card's message (what was saved, or why not). */
  messages: TemplateResult | typeof nothing;
  onChoose: (event: Event) => Promise<void>;
  onRefresh: () => Promise<void>;
}

/** The Play on card: Automatically, then each device Spotify lists, and the remembered one when it is off. */
export function renderDevices({ status: s, devices, isChoosing, messages, onChoose, onRefresh }: DevicesCard) {
  const chosen = s.device;
  const boxName = s.boxName ?? '';
  const isBox = (name: string) => sameName(name, boxName);
  // A remembered device that is off now stays listed, so the choice shows and can be changed.
  const missing = chosen !== null && devices !== null && !devices.some((d) => sameName(d.name, chosen));
  const box = html`<strong>${boxName}</strong>`;
  return html`<section class="card" aria-labelledby="device-h">
    <h3 id="device-h">${t('admin.spotify.playOn')}</h3>
    <p class="muted">${tWith('admin.spotify.devicesHelp', { box })}</p>
    ${messages}
    ${
      devices === null
        ? html`<p role="status">${t('admin.spotify.loadingDevices')}</p>`
        : html`<fieldset ?disabled=${isChoosing} @change=${onChoose}>
            <legend>${t('admin.spotify.connectDevice')}</legend>
            <label>
              <input type="radio" name="device" value="" .checked=${chosen === null} />
              ${tWith('admin.spotify.automatically', { box })}
              <span class="tag">${t('admin.spotify.preferred')}</span>
            </label>
            ${devices.map(
              (d) =>
                html`<label data-device=${d.name}>
                  <input
                    type="radio"
                    name="device"
                    value=${d.name}
                    .checked=${chosen !== null && sameName(d.name, chosen)}
                    ?disabled=${d.isRestricted}
                  />
                  ${d.name} <span class="muted">${d.type}</span>
                  ${isBox(d.name) ? html`<span class="tag">${t('admin.spotify.namedAfterBox')}</span>` : nothing}
                  ${d.isActive ? html`<span class="tag">${t('admin.spotify.inUse')}</span>` : nothing}
                  ${d.isChosen ? html`<span class="tag" data-plays>${t('admin.spotify.playsHere')}</span>` : nothing}
                  ${d.isRestricted ? html`<span class="muted">${t('admin.spotify.restricted')}</span>` : nothing}
                </label>`,
            )}
            ${
              missing
                ? html`<label data-device=${chosen}>
                    <input type="radio" name="device" value=${chosen} checked />
                    ${chosen} <span class="muted">${t('admin.spotify.notOn')}</span>
                  </label>`
                : nothing
            }
          </fieldset>`
    }
    ${devices !== null && devices.length === 0 ? html`<p class="muted">${t('admin.spotify.noDevice')}</p>` : nothing}
    <button class="secondary" @click=${onRefresh}>${t('admin.spotify.lookAgain')}</button>
  </section>`;
}
