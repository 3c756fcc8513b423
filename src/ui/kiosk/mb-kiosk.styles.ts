import { css } from 'lit';
import { KIOSK_ATTRACT_STYLES } from './kiosk-attract.styles.js';
import { KIOSK_FRAME_STYLES } from './kiosk-frame.styles.js';
import { KIOSK_MESSAGE_STYLES } from './kiosk-messages.styles.js';
import { KIOSK_NOW_STYLES } from './kiosk-now.styles.js';
import { KIOSK_QR_STYLES } from './kiosk-qr.styles.js';
import { KIOSK_SLEEP_STYLES } from './kiosk-sleep.js';
import { KIOSK_BASE } from './kiosk-styles.js';

/**
 * The kiosk screen's styles: the screen's grid of header, main and footer, and the main area's
 * layout (the now-playing side beside the tiles, above them in portrait); then each part's own.
 */
export const KIOSK_STYLES = [
  KIOSK_BASE,
  css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      /* As wide as the screen: a header or a footer longer than it wraps rather than widen every row. */
      grid-template-columns: minmax(0, 1fr);
      height: 100vh;
      height: 100dvh;
      overflow: hidden;
      background: #0d1117;
      color: #f4f6f8;
      --mb-base-text: clamp(15px, 2.4vmin, 30px);
      font:
        400 var(--mb-base-text) / 1.3 system-ui,
        sans-serif;
      -webkit-user-select: none;
      user-select: none;
      --accent: #ffd166;
    }
    main {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1.7fr);
      grid-template-rows: minmax(0, 1fr);
      grid-template-areas: 'now tiles';
      gap: 0.8em 1.2em;
      padding: 0.7em 1em;
      min-height: 0;
      overflow: hidden;
      isolation: isolate;
    }
    mb-suggestions {
      grid-area: tiles;
    }
    :host([data-offline]) main {
      opacity: 0.45;
    }
    @media (orientation: portrait) {
      main {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-areas: 'now' 'tiles';
      }
    }
  `,
  KIOSK_FRAME_STYLES,
  KIOSK_NOW_STYLES,
  KIOSK_MESSAGE_STYLES,
  KIOSK_ATTRACT_STYLES,
  KIOSK_QR_STYLES,
  KIOSK_SLEEP_STYLES,
];
