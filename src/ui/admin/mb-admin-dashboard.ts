import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { moodLook } from '../components/mb-mood-face.js';
import type { AdminApi, Stats } from '../data/admin-api.js';
import type { ApiClient } from '../data/api-client.js';
import { ADMIN_STYLES, formatTime, messageOf } from './admin-styles.js';
import './mb-staff-controls.js';

const DAY_MS = 86_400_000;
/** Darker mood colours for the white admin background (contrast ≥ 3:1 for chart marks). */
const CHART_COLOURS = ['#1d4ed8', '#b45309', '#047857', '#9d174d', '#6d28d9', '#0e7490', '#4d7c0f', '#b91c1c'];

/**
 * The dashboard: what plays, the room mood and the health of each service (live, from the socket),
 * and two charts of the last days: the room mood over time and plays per mood.
 *
 * @summary Admin dashboard.
 */
@customElement('mb-admin-dashboard')
export class MbAdminDashboard extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(20em, 1fr));
        gap: 1em;
      }
      svg {
        width: 100%;
        height: auto;
      }
      .health li[data-status='ready'] strong {
        color: #166534;
      }
      .health li[data-status='degraded'] strong,
      .health li[data-status='starting'] strong {
        color: #92400e;
      }
      .health li[data-status='failed'] strong {
        color: #991b1b;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.8em;
      }
      .swatch {
        display: inline-block;
        width: 0.8em;
        height: 0.8em;
        margin-right: 0.3em;
        border-radius: 0.2em;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _state: StateSnapshot | null = null;
  @state() private _isOnline = false;
  @state() private _stats: Stats | null = null;
  @state() private _days = 7;
  @state() private _error = '';

  readonly #onChange = (): void => {
    if (this.live === null) return;
    this._state = this.live.snapshot.state;
    this._isOnline = this.live.snapshot.isOnline;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.live?.addEventListener('change', this.#onChange);
    this.#onChange();
    void this.#load();
  }

  override disconnectedCallback(): void {
    this.live?.removeEventListener('change', this.#onChange);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    const to = Date.now();
    try {
      this._stats = await this.api.stats(to - this._days * DAY_MS, to);
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const s = this._state;
    const now = s?.player.nowPlaying ?? null;
    return html`<h2>Dashboard</h2>
      <mb-staff-controls .api=${this.api} .live=${this.live}></mb-staff-controls>
      <div class="grid" style="margin-top: 1em">
        <section class="card" aria-labelledby="now-h">
          <h3 id="now-h">Now playing</h3>
          ${
            now
              ? html`<p><strong>${now.title}</strong> · ${now.artist}</p>
                  <p class="muted">${s?.player.status} · volume ${s?.player.volume}</p>`
              : html`<p class="muted">Nothing playing.</p>`
          }
          ${s?.player.next ? html`<p>Next: ${s.player.next.title} · ${s.player.next.artist}</p>` : nothing}
          <h3>Room</h3>
          <p>
            ${s?.mood.current ? html`<strong>${moodLook(s.mood.current).label}</strong> (${Math.round(s.mood.confidence * 100)}%)` : 'No reading yet'}
            · ${s?.mood.faces ?? 0} face${s?.mood.faces === 1 ? '' : 's'} · camera ${s?.camera.status ?? 'unknown'}
          </p>
          ${s?.session.user ? html`<p>Signed in at the kiosk: ${s.session.user.name}</p>` : nothing}
        </section>
        <section class="card health" aria-labelledby="health-h">
          <h3 id="health-h">Health</h3>
          ${this._isOnline ? nothing : html`<p class="error" role="alert">Live link to the daemon is down; reconnecting…</p>`}
          <ul>
            ${(s?.services ?? []).map(
              (svc) =>
                html`<li data-status=${svc.status}>
                  <strong>${svc.status}</strong> ${svc.name}${svc.detail ? html` · <span class="muted">${svc.detail}</span>` : nothing}
                </li>`,
            )}
          </ul>
          ${s ? html`<p class="muted">Moodbox ${s.version}${s.demo ? ' · demo mode' : ''}</p>` : nothing}
        </section>
      </div>
      <div class="row" style="margin-top: 1em">
        <label
          >Period
          <select
            @change=${(e: Event) => {
              this._days = Number((e.target as HTMLSelectElement).value);
              void this.#load();
            }}
          >
            <option value="1">Last 24 hours</option>
            <option value="7" selected>Last 7 days</option>
            <option value="30">Last 30 days</option>
          </select>
        </label>
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      </div>
      <div class="grid">
        <section class="card" aria-labelledby="mood-h">
          <h3 id="mood-h">Room mood over time</h3>
          ${this.#moodChart()}
        </section>
        <section class="card" aria-labelledby="plays-h">
          <h3 id="plays-h">Plays per mood</h3>
          ${this.#playsChart()}
        </section>
      </div>`;
  }

  #colours(moods: string[]): Map<string, string> {
    return new Map(moods.map((m, i) => [m, CHART_COLOURS[i % CHART_COLOURS.length] ?? '#1d4ed8']));
  }

  #moodChart() {
    const points = this._stats?.moodOverTime ?? [];
    if (points.length === 0) return html`<p class="muted">No mood readings in this period.</p>`;
    const moods = [...new Set(points.map((p) => p.mood))].sort();
    const colours = this.#colours(moods);
    const to = Date.now();
    const from = to - this._days * DAY_MS;
    const W = 600;
    const rowH = 28;
    const left = 90;
    const H = moods.length * rowH + 24;
    const x = (at: number): number => left + ((at - from) / (to - from)) * (W - left - 10);
    return html`<svg
      viewBox="0 0 ${W} ${H}"
      role="img"
      aria-label="Room mood over time: ${points.length} readings across ${moods.join(', ')}"
    >
      ${moods.map(
        (m, i) =>
          svg`<text x="0" y=${i * rowH + 18} font-size="13" fill="#111820">${moodLook(m).label}</text>
            <line x1=${left} x2=${W - 10} y1=${i * rowH + 14} y2=${i * rowH + 14} stroke="#e5e7eb" />`,
      )}
      ${points.map((p) => {
        const row = moods.indexOf(p.mood);
        return svg`<circle cx=${x(p.at).toFixed(1)} cy=${row * rowH + 14} r=${3 + p.confidence * 4} fill=${colours.get(p.mood) ?? '#1d4ed8'} fill-opacity="0.8"><title>${moodLook(p.mood).label} · ${Math.round(p.confidence * 100)}% · ${formatTime(p.at)}</title></circle>`;
      })}
      <text x=${left} y=${H - 4} font-size="12" fill="#4b5563">${new Date(from).toLocaleDateString()}</text>
      <text x=${W - 10} y=${H - 4} font-size="12" fill="#4b5563" text-anchor="end">now</text>
    </svg>`;
  }

  #playsChart() {
    const rows = this._stats?.playsPerMoodPerDay ?? [];
    if (rows.length === 0) return html`<p class="muted">No plays in this period.</p>`;
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(r.mood, (totals.get(r.mood) ?? 0) + r.plays);
    const moods = [...totals.keys()].sort();
    const colours = this.#colours(moods);
    const max = Math.max(...totals.values());
    const W = 600;
    const barH = 26;
    const left = 90;
    const H = moods.length * (barH + 8);
    return html`<svg
      viewBox="0 0 ${W} ${H}"
      role="img"
      aria-label="Plays per mood: ${moods.map((m) => `${m} ${totals.get(m)}`).join(', ')}"
    >
      ${moods.map((m, i) => {
        const n = totals.get(m) ?? 0;
        const w = ((W - left - 60) * n) / max;
        const y = i * (barH + 8);
        return svg`<text x="0" y=${y + 18} font-size="13" fill="#111820">${moodLook(m).label}</text>
          <rect x=${left} y=${y} width=${w.toFixed(1)} height=${barH} rx="3" fill=${colours.get(m) ?? '#1d4ed8'} />
          <text x=${left + w + 6} y=${y + 18} font-size="13" fill="#111820">${n}</text>`;
      })}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-dashboard': MbAdminDashboard;
  }
}
