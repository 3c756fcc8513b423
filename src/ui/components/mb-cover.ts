import { LitElement, css, html, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { moodColour } from './mood-colours.js';

/** A small, stable string hash (FNV-1a), so the same title always gets the same pattern. */
function hash(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16_777_619);
  return h >>> 0;
}

/**
 * Cover art for a track without one: a pattern (rings, stripes or dots, placed by the title's hash)
 * in the colour of the track's mood, over a dark ground. The same title and mood always give the
 * same picture.
 */
export function generatedCover(seed: string, mood: string | null) {
  const h = hash(seed);
  const colour = moodColour(mood ?? '');
  const kind = h % 3;
  const cx = 20 + (h % 61);
  const cy = 20 + ((h >>> 8) % 61);
  const step = 7 + ((h >>> 16) % 7);
  const angle = (h >>> 4) % 180;
  const shapes = [];
  if (kind === 0) {
    for (let r = step; r < 150; r += step) {
      shapes.push(
        svg`<circle cx=${cx} cy=${cy} r=${r} fill="none" stroke=${colour} stroke-width=${step / 2.6} opacity=${Math.max(0.15, 1 - r / 130)} />`,
      );
    }
  } else if (kind === 1) {
    for (let x = -100; x < 200; x += step * 1.6) {
      shapes.push(svg`<rect x=${x} y="-60" width=${step * 0.7} height="220" fill=${colour} opacity=${0.25 + ((x + 100) % 3) * 0.2} />`);
    }
  } else {
    for (let y = step / 2; y < 100; y += step) {
      for (let x = step / 2; x < 100; x += step) {
        const d = Math.hypot(x - cx, y - cy);
        shapes.push(svg`<circle cx=${x} cy=${y} r=${Math.max(0.6, step * 0.45 * (1 - d / 120))} fill=${colour} />`);
      }
    }
  }
  return svg`<svg class="art" viewBox="0 0 100 100" preserveAspectRatio="xMidYMid slice" aria-hidden="true">
    <defs>
      <radialGradient id="glow" cx=${cx / 100} cy=${cy / 100} r="0.9">
        <stop offset="0" stop-color=${colour} stop-opacity="0.55" />
        <stop offset="1" stop-color="#0d1117" stop-opacity="0" />
      </radialGradient>
    </defs>
    <rect width="100" height="100" fill="#121a24" />
    <rect width="100" height="100" fill="url(#glow)" />
    <g transform=${kind === 1 ? `rotate(${angle} 50 50)` : ''}>${shapes}</g>
  </svg>`;
}

/**
 * A cover image, or generated cover art (a pattern in the mood's colour) when there is none or it
 * fails to load.
 *
 * @summary Album cover.
 * @cssproperty --mb-cover-size - Width and height. Default 100%.
 */
@customElement('mb-cover')
export class MbCover extends LitElement {
  static override styles = css`
    :host {
      display: block;
      aspect-ratio: 1;
      width: var(--mb-cover-size, 100%);
      border-radius: 0.4em;
      overflow: hidden;
      background: #121a24;
    }
    img,
    .art {
      width: 100%;
      height: 100%;
      object-fit: cover;
      display: block;
    }
  `;

  @property() src: string | null = null;
  /** The title: it names the picture for nobody (covers are decorative) but seeds the generated art. */
  @property() label = '';
  /** The track's mood: the colour of the generated art. */
  @property() mood: string | null = null;
  @state() private _hasFailed = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this._hasFailed = false;
  }

  override render() {
    if (this.src && !this._hasFailed) {
      return html`<img src=${this.src} alt="" @error=${() => (this._hasFailed = true)} />`;
    }
    return generatedCover(this.label || '♪', this.mood);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-cover': MbCover;
  }
}
