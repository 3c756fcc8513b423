import { css } from 'lit';

/**
 * The kiosk's frame, above every panel: the header (Moodbox, the camera indicator, who is signed in,
 * My music, Sign in and Sign out, kept on one line) and the footer with the privacy notice.
 */
export const KIOSK_FRAME_STYLES = css`
  header,
  footer {
    /* Above the sign-in panel: the camera indicator and the privacy notice stay visible at all times. */
    position: relative;
    z-index: 11;
    display: flex;
    align-items: center;
    gap: 0.8em;
    padding: 0.3em 0.8em;
    background: #060a0f;
  }
  /* The page's one h1, as large as the header's other words. */
  header .brand {
    margin-block: 0;
    margin-inline: 0 auto;
    font-size: inherit;
    font-weight: 800;
  }
  /* "· demo": quieter than the name, never under the kiosk's smallest text. */
  header .brand small {
    font-size: max(var(--mb-min-text), 0.8em);
    font-weight: 600;
  }
  .camera {
    display: inline-flex;
    align-items: center;
    gap: 0.45em;
    font-weight: 700;
  }
  .dot {
    width: 0.85em;
    height: 0.85em;
    border-radius: 50%;
    background: #7a8794;
  }
  .camera[data-status='on'] .dot {
    background: #ff4d5a;
    box-shadow: 0 0 0 0.2em rgb(255 77 90 / 0.3);
  }
  .camera[data-status='unavailable'],
  .camera[data-status='offline'] {
    color: #ffb4a2;
  }
  .pill {
    min-height: max(2.4em, 48px);
    padding: 0 1.1em;
    border: 2px solid #ffd166;
    border-radius: 2em;
    background: transparent;
    font-weight: 700;
  }
  .who {
    font-weight: 700;
  }
  footer {
    font-size: max(var(--mb-min-text), 0.72em);
    color: #c3ced8;
  }
  footer .privacy {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    margin-inline-end: auto;
  }
  footer .privacy svg {
    flex: none;
    width: 1.3em;
    height: 1.3em;
  }
  .who {
    min-height: max(2.4em, 48px);
    padding: 0 0.9em;
    border: 2px solid rgb(255 255 255 / 0.35);
    border-radius: 2em;
    background: rgb(30 40 51 / 0.85);
  }
  .who .me {
    margin-inline-start: 0.4em;
    font-weight: 600;
    color: #ffd166;
  }
  .who,
  .pill,
  .camera {
    white-space: nowrap;
  }
  /*
   * A narrow screen keeps the header on one line: the name alone opens My music, and the camera's
   * words take two lines where they must ("Caméra / allumée") rather than push Sign in off the screen.
   */
  @media (max-width: 600px) {
    .who .me {
      display: none;
    }
    header {
      gap: 0.6em;
      padding-inline: 0.6em;
    }
    .camera {
      white-space: normal;
    }
  }
`;
