import { LitElement, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { moodLook } from '../../components/mb-mood-face.js';
import { moodColour } from '../../components/mood-colours.js';
import type { ChartStats } from '../../data/admin-api.js';
import { followLanguage } from '../../i18n/i18n.js';
import { i18n, moodName, t } from '../admin-i18n.js';
import { CHART_STYLES } from './chart-styles.js';
import { bucketLabel } from './time-axis.js';
import { WidthController } from './width-controller.js';

const PLOT_H = 150;
const LEFT = 34;
/** Room for one bar label, so labels never overlap (CSS px). */
const LABEL_W = 76;

/** A mood's name in the panel's language; one the catalogue cannot know keeps the kiosk's label. */
const moodWords = (mood: string): string => moodName(mood, moodLook(mood).label);

/**
 * Plays started per bar (5 minutes, an hour or a day), each bar stacked by the mood the music was
 * picked for, in the kiosk's mood colours.
 *
 * @summary Plays per mood over time.
 */
@customElement('mb-plays-chart')
export class MbPlaysChart extends LitElement {
  static override styles = CHART_STYLES;

  @property({ attribute: false }) rows: ChartStats['playsOverTime'] = [];
  @property({ type: Number, attribute: 'bucket-ms' }) bucketMs = 3_600_000;
  readonly #size = new WidthController(this);

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const totals = new Map<string, number>();
    for (const row of this.rows) for (const [mood, n] of Object.entries(row.plays)) totals.set(mood, (totals.get(mood) ?? 0) + n);
    if (totals.size === 0) return html`<p class="empty">${t('admin.charts.playsEmpty')}</p>`;
    const moods = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
    const sums = this.rows.map((r) => Object.values(r.plays).reduce((a, b) => a + b, 0));
    const max = Math.max(1, ...sums);
    const W = this.#size.width;
    const plotW = W - LEFT;
    const step = plotW / Math.max(1, this.rows.length);
    const barW = Math.max(1, step * 0.72);
    const stride = Math.max(1, Math.ceil(LABEL_W / step));
    const y = (n: number): number => PLOT_H - (n / max) * (PLOT_H - 8);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    return html`<svg
        width=${W}
        height=${PLOT_H + 26}
        role="img"
        aria-label=${t('admin.charts.playsName', {
          list: moods.map((m) => t('admin.charts.moodCount', { mood: moodWords(m), count: totals.get(m) ?? 0 })).join(', '),
          all,
        })}
      >
        <rect class="glass" x=${LEFT} y="0" width=${plotW} height=${PLOT_H} rx="4" />
        <line class="grid-line" x1=${LEFT} x2=${W} y1=${y(max)} y2=${y(max)} />
        <text class="value-label" x=${LEFT - 6} y=${y(max) + 4} text-anchor="end">${max}</text>
        <text class="value-label" x=${LEFT - 6} y=${PLOT_H} text-anchor="end">0</text>
        ${this.rows.map((row, i) => {
          const x0 = LEFT + i * step + (step - barW) / 2;
          let base = 0;
          const bar = moods.map((mood) => {
            const n = row.plays[mood] ?? 0;
            if (n === 0) return svg``;
            const top = y(base + n);
            const height = y(base) - top;
            base += n;
            return svg`<rect class="bar" data-mood=${mood} x=${x0.toFixed(1)} y=${top.toFixed(1)} width=${barW.toFixed(1)} height=${height.toFixed(1)}
              fill=${moodColour(mood)}><title>${t('admin.charts.barPlays', { bucket: bucketLabel(row.at, this.bucketMs), mood: moodWords(mood), plays: n })}</title></rect>`;
          });
          const label =
            i % stride === 0
              ? svg`<text class="tick-label" x=${(x0 + barW / 2).toFixed(1)} y=${PLOT_H + 18} text-anchor="middle">${bucketLabel(row.at, this.bucketMs)}</text>`
              : svg``;
          return svg`${bar}${label}`;
        })}
      </svg>
      <ul class="legend" aria-label=${t('admin.charts.playsPerMood')}>
        ${moods.map(
          (m) =>
            html`<li data-mood=${m}>
              <span class="swatch" style="background: ${moodColour(m)}" aria-hidden="true"></span>${moodWords(m)}
              <span class="value-label">${totals.get(m)}</span>
            </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-plays-chart': MbPlaysChart;
  }
}
