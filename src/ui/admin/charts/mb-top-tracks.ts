import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChartStats } from '../../data/admin-api.js';
import { followLanguage } from '../../i18n/i18n.js';
import { i18n, t } from '../admin-i18n.js';
import { ADMIN_STYLES } from '../admin-styles.js';
import { CHART_STYLES } from './chart-styles.js';

/**
 * The most played tracks of the period with their likes and skips: a high skip rate says a track
 * does not suit the room it was picked for. Only people skip: a song the music changed because the
 * room's mood changed is counted apart, and a caption says so.
 *
 * @summary Top tracks with likes and skip rate.
 */
@customElement('mb-top-tracks')
export class MbTopTracks extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    CHART_STYLES,
    css`
      td.num,
      th.num {
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
      .rate {
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
      }
      .meter {
        display: inline-block;
        width: 4em;
        height: 0.6em;
        border-radius: 0.3em;
        background: #e5e7eb;
        overflow: hidden;
      }
      .meter span {
        display: block;
        height: 100%;
        background: #b91c1c;
      }
      .artist {
        color: #4b5563;
      }
      .caption {
        margin: 0.5em 0 0;
        color: #4b5563;
      }
      /* On a phone the rate's number alone: the bar would push the table past the screen. */
      @media (max-width: 30em) {
        .meter {
          display: none;
        }
        th,
        td {
          padding-inline: 0.25em;
        }
      }
    `,
  ];

  @property({ attribute: false }) tracks: ChartStats['topTracks'] = [];

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    if (this.tracks.length === 0) return html`<p class="empty">${t('admin.charts.playsEmpty')}</p>`;
    const switched = this.tracks.reduce((n, t) => n + t.switched, 0);
    return html`<table aria-describedby="skip-rate-caption">
        <thead>
          <tr>
            <th scope="col">${t('admin.charts.track')}</th>
            <th scope="col" class="num">${t('admin.charts.plays')}</th>
            <th scope="col" class="num">${t('admin.charts.likes')}</th>
            <th scope="col" class="num">${t('admin.charts.skipped')}</th>
            <th scope="col">${t('admin.charts.skipRate')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.tracks.map(
            (track) =>
              html`<tr data-track=${track.trackId}>
                <td>
                  <strong class="title">${track.title || t('admin.charts.untitled')}</strong>${
                    track.artist ? html` <span class="artist">· ${track.artist}</span>` : ''
                  }
                </td>
                <td class="num">${track.plays}</td>
                <td class="num">${track.likes}</td>
                <td class="num">${track.skipped}</td>
                <td>
                  ${
                    track.skipRate === null
                      ? html`<span class="value-label" title=${t('admin.charts.noneEnded')}>–</span>`
                      : html`<span class="rate"
                          ><span class="meter" aria-hidden="true"><span style="width: ${Math.round(track.skipRate * 100)}%"></span></span
                          >${t('admin.charts.rate', { rate: Math.round(track.skipRate * 100) / 100 })}</span
                        >`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="caption" id="skip-rate-caption">
        ${switched === 0 ? t('admin.charts.skipRateNote') : t('admin.charts.skipRateNoteSwitched', { switched })}
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-top-tracks': MbTopTracks;
  }
}
