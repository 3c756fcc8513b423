import { LitElement, css, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { MOOD_COLOURS, OTHER_MOOD_COLOUR } from './mood-colours.js';

/** How each mood looks on the screens: a colour with enough contrast on the dark kiosk, a label and a face. */
export const MOOD_LOOK: Readonly<Record<string, { colour: string; label: string; mouth: string; brows?: string }>> = {
  happy: { colour: MOOD_COLOURS.happy, label: 'Happy', mouth: 'M30 62 Q50 80 70 62' },
  upbeat: { colour: MOOD_COLOURS.upbeat, label: 'Upbeat', mouth: 'M30 62 Q50 80 70 62' },
  energetic: { colour: MOOD_COLOURS.energetic, label: 'Energetic', mouth: 'M32 60 Q50 84 68 60 Z' },
  surprise: { colour: MOOD_COLOURS.surprise, label: 'Surprised', mouth: 'M44 66 a6 8 0 1 0 12 0 a6 8 0 1 0 -12 0' },
  calm: { colour: MOOD_COLOURS.calm, label: 'Calm', mouth: 'M34 66 Q50 72 66 66' },
  neutral: { colour: MOOD_COLOURS.neutral, label: 'Neutral', mouth: 'M34 66 L66 66' },
  mellow: { colour: MOOD_COLOURS.mellow, label: 'Mellow', mouth: 'M34 68 Q50 62 66 68' },
  sad: { colour: MOOD_COLOURS.sad, label: 'Sad', mouth: 'M32 72 Q50 58 68 72' },
  angry: { colour: MOOD_COLOURS.angry, label: 'Tense', mouth: 'M32 70 Q50 60 68 70', brows: 'M28 32 L44 38 M72 32 L56 38' },
  tense: { colour: MOOD_COLOURS.tense, label: 'Tense', mouth: 'M32 70 Q50 60 68 70', brows: 'M28 32 L44 38 M72 32 L56 38' },
  fear: { colour: MOOD_COLOURS.fear, label: 'Uneasy', mouth: 'M34 70 Q42 64 50 70 Q58 76 66 70' },
  disgust: { colour: MOOD_COLOURS.disgust, label: 'Put off', mouth: 'M34 70 L66 64' },
  uplifting: { colour: MOOD_COLOURS.uplifting, label: 'Uplifting', mouth: 'M30 62 Q50 76 70 62' },
  power: { colour: MOOD_COLOURS.power, label: 'Power', mouth: 'M32 66 L68 66', brows: 'M28 34 L44 38 M72 34 L56 38' },
  contempt: { colour: MOOD_COLOURS.contempt, label: 'Unimpressed', mouth: 'M36 68 Q56 68 66 60' },
  nobody: { colour: MOOD_COLOURS.nobody, label: 'Nobody here', mouth: 'M40 66 L60 66' },
};

/** The look of a mood, with a neutral fallback for moods added by the admin. */
export function moodLook(mood: string): { colour: string; label: string; mouth: string; brows?: string } {
  return MOOD_LOOK[mood] ?? { colour: OTHER_MOOD_COLOUR, label: mood.charAt(0).toUpperCase() + mood.slice(1), mouth: 'M34 66 L66 66' };
}

/**
 * A face drawn for a mood, in the mood's colour. Decorative: the mood's name is always shown next to it.
 *
 * @summary A mood icon.
 */
@customElement('mb-mood-face')
export class MbMoodFace extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      width: 4em;
      height: 4em;
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `;

  @property() mood = 'neutral';

  override render() {
    const look = moodLook(this.mood);
    const isAsleep = this.mood === 'nobody';
    return svg`<svg viewBox="0 0 100 100" aria-hidden="true" fill="none" stroke=${look.colour} stroke-width="6" stroke-linecap="round">
      <circle cx="50" cy="50" r="44" />
      ${
        isAsleep
          ? svg`<path d="M30 44 Q36 50 42 44 M58 44 Q64 50 70 44" />`
          : svg`<circle cx="36" cy="42" r="4" fill=${look.colour} /><circle cx="64" cy="42" r="4" fill=${look.colour} />`
      }
      ${look.brows ? svg`<path d=${look.brows} />` : ''}
      <path d=${look.mouth} />
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-mood-face': MbMoodFace;
  }
}
