import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { moodLook } from '../../components/mb-mood-face.js';
import { moodColour } from '../../components/mood-colours.js';
import type { ChartStats } from '../../data/admin-api.js';
import { followLanguage } from '../../i18n/i18n.js';
import { i18n, moodName, t } from '../admin-i18n.js';
import { CHART_STYLES } from './chart-styles.js';
import { axisMarks, duration, spanLabel, timeTicks } from './time-axis.js';
import { WidthController } from './width-controller.js';

const BAND_H = 40;
const PAD = 4;

/** A mood's name in the panel's language; one the catalogue cannot know keeps the kiosk's label. */
const moodWords = (mood: string): string => moodName(mood, moodLook(mood).label);

/** Consecutive buckets of one mood, drawn as one stretch of the band. */
interface Segment {
  from: number;
  to: number;
  mood: string | null;
}

/** Merges neighbouring buckets with the same mood; the last one ends at `to`. */
export function segmentsOf(buckets: ChartStats['moodTimeline'], bucketMs: number, to: number): Segment[] {
  const segments: Segment[] = [];
  for (const b of buckets) {
    const end = Math.min(b.at + bucketMs, to);
    const last = segments.at(-1);
    if (last !== undefined && last.mood === b.mood && last.to === b.at) last.to = end;
    else segments.push({ from: b.at, to: end, mood: b.mood });
  }
  return segments;
}

/**
 * The room mood over time as one band (as Home Assistant draws a history bar): each stretch in the
 * colour the kiosk gives the mood, hour ticks under it, and a legend with the time in each mood.
 * Each bucket was given, by the daemon, the mood that held longest in it.
 *
 * @summary Room mood timeline band.
 */
@customElement('mb-mood-timeline')
export class MbMoodTimeline extends LitElement {
  static override styles = CHART_STYLES;

  @property({ attribute: false }) buckets: ChartStats['moodTimeline'] = [];
  @property({ attribute: false }) totals: ChartStats['moodTotals'] = [];
  @property({ type: Number }) from = 0;
  @property({ type: Number }) to = 0;
  @property({ type: Number, attribute: 'bucket-ms' }) bucketMs = 60_000;
  readonly #size = new WidthController(this);

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    if (this.totals.length === 0) return html`<p class="empty">${t('admin.charts.timelineEmpty')}</p>`;
    const W = this.#size.width;
    const H = BAND_H + 2 * PAD + 26;
    const x = (at: number): number => PAD + ((at - this.from) / (this.to - this.from)) * (W - 2 * PAD);
    const all = this.totals.reduce((sum, t) => sum + t.ms, 0);
    const summary = this.totals
      .map((m) => t('admin.charts.moodShare', { mood: moodWords(m.mood), share: Math.round((m.ms / all) * 100) / 100 }))
      .join(', ');
    return html`<svg
        width=${W}
        height=${H}
        role="img"
        aria-label=${t('admin.charts.timelineName', { span: spanLabel(this.from, this.to), summary })}
      >
        <rect class="glass" x="0" y="0" width=${W} height=${BAND_H + 2 * PAD} rx="6" />
        ${segmentsOf(this.buckets, this.bucketMs, this.to).map((s) => {
          const x0 = x(s.from);
          const width = Math.max(x(s.to) - x0, 0.5);
          const what = s.mood === null ? t('admin.charts.noReading') : moodWords(s.mood);
          return svg`<rect class="segment" data-mood=${s.mood ?? 'none'} x=${x0.toFixed(2)} y=${PAD} width=${width.toFixed(2)} height=${BAND_H}
            fill=${s.mood === null ? 'transparent' : moodColour(s.mood)}><title>${what} · ${spanLabel(s.from, s.to)}</title></rect>`;
        })}
        ${axisMarks(timeTicks(this.from, this.to), x, BAND_H + 2 * PAD, PAD, W - PAD)}
      </svg>
      <ul class="legend" aria-label=${t('admin.charts.timeInMood')}>
        ${this.totals.map(
          (m) =>
            html`<li data-mood=${m.mood}>
              <span class="swatch" style="background: ${moodColour(m.mood)}" aria-hidden="true"></span>${moodWords(m.mood)}
              <span class="value-label">${duration(m.ms)}</span>
            </li>`,
        )}
        ${
          this.buckets.some((b) => b.mood === null)
            ? html`<li><span class="swatch" style="background: #10151c" aria-hidden="true"></span>${t('admin.charts.noReading')}</li>`
            : nothing
        }
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-mood-timeline': MbMoodTimeline;
  }
}
