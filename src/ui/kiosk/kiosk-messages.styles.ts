import { css } from 'lit';

/**
 * What the kiosk says over the screen: the offline banner, the message of the moment just above the
 * footer, and the idle sign-out's countdown.
 */
export const KIOSK_MESSAGE_STYLES = css`
  .banner,
  .toast {
    position: fixed;
    left: 50%;
    transform: translateX(-50%);
    z-index: 20;
    max-width: 90vw;
    padding: 0.6em 1.2em;
    border-radius: 0.6em;
    font-weight: 800;
    text-align: center;
  }
  .banner {
    top: 3em;
    background: #ffd7d7;
    color: #5c0000;
    border: 3px solid #ff4d5a;
  }
  /* A message lives just above the footer (it is drawn in it), clear of the mood, the offline
     banner and the header; none shows while a panel is open. */
  .toast {
    position: absolute;
    bottom: calc(100% + 0.6em);
    width: max-content;
    font-size: var(--mb-base-text);
    background: #f4f6f8;
    color: #0d1117;
    box-shadow: 0 0.4em 1.6em rgb(0 0 0 / 0.6);
  }
  /* Above the sign-out countdown while it shows. */
  .toast[data-lifted] {
    bottom: calc(100% + max(2.8em, 56px) + 1.2em);
  }
  .countdown {
    position: fixed;
    left: 50%;
    bottom: 2.4em;
    transform: translateX(-50%);
    z-index: 25;
    max-width: 92vw;
    min-height: max(2.8em, 56px);
    padding: 0.4em 1.4em;
    border: 3px solid #ffd166;
    border-radius: 0.8em;
    background: #2b2207;
    color: #ffe3a0;
    font-size: 1.1em;
    font-weight: 800;
    box-shadow: 0 0.4em 1.6em rgb(0 0 0 / 0.6);
    font-variant-numeric: tabular-nums;
  }
`;
