import { LitElement, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChartStats } from '../../data/admin-api.js';
import { followLanguage } from '../../i18n/i18n.js';
import { i18n, t } from '../admin-i18n.js';
import { CHART_STYLES } from './chart-styles.js';
import { WidthController } from './width-controller.js';

const PLOT_H = 120;
const STRIP_H = 18;
const LEFT = 34;
/** Not a mood: light marks on the dark glass, so they are never read as one. */
const PLAYS_COLOUR = '#e6edf3';
const PEOPLE_COLOUR = '#ffd166';

/** An hour of the box's day as the reader's language writes a time (`15:00`, `3:00 PM`). */
const hourLabel = (hour: number): string => i18n.clock(hour);

/**
 * The hours of the day the room is busy: plays started in each hour (bars) and how long someone
 * was in view (a strip, brighter for more minutes), summed over the chosen period.
 *
 * @summary Busy hours of the day.
 */
@customElement('mb-busy-hours')
export class MbBusyHours extends LitElement {
  static override styles = CHART_STYLES;

  @property({ attribute: false }) hours: ChartStats['busyHours'] = [];
  readonly #size = new WidthController(this);

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    if (!this.hours.some((h) => h.plays > 0 || h.peopleMin > 0)) return html`<p class="empty">${t('admin.charts.busyEmpty')}</p>`;
    const W = this.#size.width;
    const plotW = W - LEFT;
    const step = plotW / 24;
    const barW = Math.max(1, step * 0.7);
    const maxPlays = Math.max(1, ...this.hours.map((h) => h.plays));
    const maxPeople = Math.max(1, ...this.hours.map((h) => h.peopleMin));
    const y = (n: number): number => PLOT_H - (n / maxPlays) * (PLOT_H - 8);
    const stripY = PLOT_H + 6;
    // Hours labelled as often as their labels fit.
    const labelEvery = [3, 6, 12].find((n) => step * n >= 76) ?? 12;
    const busiest = [...this.hours].sort((a, b) => b.plays - a.plays || a.hour - b.hour)[0];
    return html`<svg
        width=${W}
        height=${stripY + STRIP_H + 24}
        role="img"
        aria-label=${
          busiest ? t('admin.charts.busyName', { hour: hourLabel(busiest.hour), plays: busiest.plays }) : t('admin.charts.busyNameNone')
        }
      >
        <rect class="glass" x=${LEFT} y="0" width=${plotW} height=${stripY + STRIP_H} rx="4" />
        <text class="value-label" x=${LEFT - 6} y=${y(maxPlays) + 4} text-anchor="end">${maxPlays}</text>
        <text class="value-label" x=${LEFT - 6} y=${PLOT_H} text-anchor="end">0</text>
        ${this.hours.map((h) => {
          const x0 = LEFT + h.hour * step + (step - barW) / 2;
          return svg`<rect class="bar" data-hour=${h.hour} x=${x0.toFixed(1)} y=${y(h.plays).toFixed(1)} width=${barW.toFixed(1)}
              height=${(PLOT_H - y(h.plays)).toFixed(1)} fill=${PLAYS_COLOUR}><title>${t('admin.charts.hourPlays', { hour: hourLabel(h.hour), plays: h.plays })}</title></rect>
            <rect class="people" data-hour=${h.hour} x=${(LEFT + h.hour * step + 1).toFixed(1)} y=${stripY} width=${(step - 2).toFixed(1)} height=${STRIP_H - 4}
              fill=${PEOPLE_COLOUR} fill-opacity=${(h.peopleMin / maxPeople).toFixed(2)}><title>${t('admin.charts.hourPeople', { hour: hourLabel(h.hour), minutes: h.peopleMin })}</title></rect>
            ${h.hour % labelEvery === 0 ? svg`<text class="tick-label" x=${(LEFT + h.hour * step + step / 2).toFixed(1)} y=${stripY + STRIP_H + 16} text-anchor="middle">${hourLabel(h.hour)}</text>` : svg``}`;
        })}
      </svg>
      <ul class="legend">
        <li><span class="swatch" style="background: ${PLAYS_COLOUR}" aria-hidden="true"></span>${t('admin.charts.legendPlays')}</li>
        <li><span class="swatch" style="background: ${PEOPLE_COLOUR}" aria-hidden="true"></span>${t('admin.charts.legendPeople')}</li>
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-busy-hours': MbBusyHours;
  }
}
