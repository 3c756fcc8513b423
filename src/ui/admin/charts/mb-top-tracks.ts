import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChartStats } from '../../data/admin-api.js';
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
        text-align: right;
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

  override render() {
    if (this.tracks.length === 0) return html`<p class="empty">No plays in this period.</p>`;
    const switched = this.tracks.reduce((n, t) => n + t.switched, 0);
    return html`<table aria-describedby="skip-rate-caption">
        <thead>
          <tr>
            <th scope="col">Track</th>
            <th scope="col" class="num">Plays</th>
            <th scope="col" class="num">Likes</th>
            <th scope="col" class="num">Skipped</th>
            <th scope="col">Skip rate</th>
          </tr>
        </thead>
        <tbody>
          ${this.tracks.map(
            (t) =>
              html`<tr data-track=${t.trackId}>
                <td>
                  <strong class="title">${t.title || 'Untitled'}</strong>${t.artist ? html` <span class="artist">· ${t.artist}</span>` : ''}
                </td>
                <td class="num">${t.plays}</td>
                <td class="num">${t.likes}</td>
                <td class="num">${t.skipped}</td>
                <td>
                  ${
                    t.skipRate === null
                      ? html`<span class="value-label" title="No play of it has ended yet">–</span>`
                      : html`<span class="rate"
                          ><span class="meter" aria-hidden="true"><span style="width: ${Math.round(t.skipRate * 100)}%"></span></span
                          >${Math.round(t.skipRate * 100)}%</span
                        >`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="caption" id="skip-rate-caption">
        Skip rate: skips by people (at the kiosk, by staff, from Home Assistant) out of plays that ended or were skipped. Songs changed for
        the room are not skips${switched === 0 ? '' : html` (${switched} here)`}.
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-top-tracks': MbTopTracks;
  }
}
