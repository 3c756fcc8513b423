import { css } from 'lit';

/**
 * The smallest text on any kiosk screen (px): readable at arm's length on the smallest screen
 * (800x480). Sizes below 1em are written `max(var(--mb-min-text), …)` so they never go under it.
 */
export const MIN_TEXT_PX = 14;

/**
 * What every kiosk surface shares (the screen, the suggestions, the sign-in panel, My music, the
 * calibration): buttons that take the surface's font and answer a finger at once, the focus ring,
 * the smallest text size, and the indicator dot beside "Camera on" or "Face in view".
 */
export const KIOSK_BASE = css`
  :host {
    --mb-min-text: ${MIN_TEXT_PX}px;
  }
  button {
    font: inherit;
    color: inherit;
    touch-action: manipulation;
  }
  button:focus-visible {
    outline: 3px solid #ffd166;
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.45;
  }
  .indicator {
    display: inline-flex;
    align-items: center;
    gap: 0.45em;
    font-weight: 700;
    white-space: nowrap;
  }
  .dot {
    flex: none;
    width: 0.85em;
    height: 0.85em;
    border-radius: 50%;
    background: #7a8794;
  }
  .dot[data-on] {
    background: #ff4d5a;
    box-shadow: 0 0 0 0.2em rgb(255 77 90 / 0.3);
  }
  .dot[data-face] {
    background: #2ecc71;
    box-shadow: 0 0 0 0.2em rgb(46 204 113 / 0.3);
  }
`;

/**
 * A panel over the kiosk screen (My music, the calibration): the whole screen below the kiosk's
 * header (its 48 px buttons) and above its footer, which stay on top; a title row with its
 * buttons, and the panel's buttons.
 */
export const KIOSK_PANEL = css`
  :host {
    position: fixed;
    inset: 0;
    z-index: 10;
    display: grid;
    padding: calc(max(2.4em, 48px) + 1em) 0.8em 2.4em;
    box-sizing: border-box;
    color: #fff;
  }
  section {
    display: grid;
    gap: 0.5em;
    min-height: 0;
    margin: 0 auto;
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 0.8em;
  }
  h2 {
    margin-block: 0;
    margin-inline: 0 auto;
    font-size: 1.3em;
  }
  button {
    min-height: max(2.4em, 48px);
    min-width: 48px;
    border: 2px solid #5d6d7e;
    border-radius: 0.5em;
    background: #1e2833;
    color: #fff;
    font-weight: 700;
  }
  .done {
    padding: 0 1.2em;
    background: #1b7f4d;
    border-color: #2ecc71;
  }
`;
