import { css } from 'lit';
import { KIOSK_BASE } from './kiosk-styles.js';

/** The kiosk screen's own styles: its header and footer, the room mood, what plays, the attract screen and the messages over it. */
export const KIOSK_STYLES = [
  KIOSK_BASE,
  css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
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
    header .brand {
      font-weight: 800;
      margin-right: auto;
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
    /* The cover of what plays, blurred and dimmed, behind everything: the screen takes its colours. */
    .backdrop {
      position: absolute;
      inset: -10%;
      z-index: -1;
      background-size: cover;
      background-position: center;
      filter: blur(40px) saturate(1.3) brightness(0.42);
      transform: scale(1.1);
    }
    .backdrop.generated {
      filter: none;
      transform: none;
      opacity: 0.55;
    }
    .now {
      grid-area: now;
      display: grid;
      grid-template-rows: auto minmax(0, min(42vh, 34vw)) auto;
      justify-items: center;
      align-content: center;
      gap: 0.35em;
      min-height: 0;
      min-width: 0;
      text-align: center;
    }
    /* The hero cover takes the height the mood and the text leave, up to a large square. */
    .now mb-cover {
      height: 100%;
      width: auto;
      max-height: min(42vh, 34vw);
      max-width: 100%;
      min-height: 0;
      border-radius: 0.6em;
      box-shadow: 0 0.6em 2em rgb(0 0 0 / 0.55);
    }
    .now .text {
      display: grid;
      gap: 0.15em;
      width: 100%;
      min-width: 0;
    }
    .now h2 {
      margin: 0;
      font-size: max(var(--mb-min-text), 0.75em);
      text-transform: uppercase;
      letter-spacing: 0.08em;
      color: #c3ced8;
    }
    .title.longer {
      font-size: 1.15em;
    }
    .title {
      font-size: 1.45em;
      font-weight: 800;
      line-height: 1.15;
      overflow-wrap: anywhere;
    }
    .artist {
      color: #dbe3ea;
      overflow-wrap: anywhere;
    }
    .asked {
      justify-self: center;
      padding: 0 0.6em;
      border-radius: 1em;
      font-size: max(var(--mb-min-text), 0.8em);
      font-weight: 700;
      color: #0d1117;
      background: var(--accent);
    }
    .progress {
      height: 0.35em;
      margin: 0.3em 0;
      border-radius: 0.2em;
      background: rgb(255 255 255 / 0.18);
      overflow: hidden;
    }
    .progress div {
      height: 100%;
      background: var(--accent);
    }
    .playing-why {
      margin: 0;
      font-size: max(var(--mb-min-text), 0.9em);
      color: #dbe3ea;
      font-style: italic;
      overflow-wrap: anywhere;
    }
    .next {
      margin: 0;
      font-size: max(var(--mb-min-text), 0.9em);
      color: #c3ced8;
      overflow-wrap: anywhere;
    }
    .mood {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
      max-width: 100%;
      padding: 0.25em 0.9em 0.25em 0.35em;
      border-radius: 2em;
      background: rgb(6 10 15 / 0.6);
      border: 2px solid currentColor;
      text-align: left;
    }
    /* Camera off or unavailable: two or three lines and no face on the left, so a pill's round
     ends would cut into the text. */
    .mood[data-state^='camera'] {
      border-radius: 1em;
      padding: 0.45em 0.9em;
    }
    .mood mb-mood-face {
      flex: none;
      width: 2.1em;
      height: 2.1em;
    }
    .mood .label {
      font-size: 1.15em;
      font-weight: 800;
      line-height: 1.1;
    }
    .mood p {
      margin: 0;
      font-size: max(var(--mb-min-text), 0.85em);
      color: #dbe3ea;
    }
    .mood .calibrated {
      display: inline-block;
      margin-top: 0.15em;
      padding: 0 0.5em;
      border-radius: 1em;
      font-size: max(var(--mb-min-text), 0.75em);
      font-weight: 700;
      color: #0d1117;
      background: #2ecc71;
    }
    .actions {
      display: flex;
      justify-content: center;
      gap: 0.6em;
      margin-top: 0.2em;
    }
    .actions button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      gap: 0.4em;
      min-height: max(2.4em, 48px);
      min-width: 5em;
      border: 2px solid #8fa3b5;
      border-radius: 0.5em;
      background: rgb(30 40 51 / 0.85);
      font-weight: 700;
    }
    .actions button[aria-pressed='true'] {
      border-color: #ff6b81;
      color: #ff8fa0;
    }
    footer {
      font-size: max(var(--mb-min-text), 0.72em);
      color: #c3ced8;
    }
    footer .privacy {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
      margin-right: auto;
    }
    footer .privacy svg {
      flex: none;
      width: 1.3em;
      height: 1.3em;
    }
    mb-suggestions {
      grid-area: tiles;
    }
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
    .attract {
      grid-column: 1 / -1;
      grid-row: 1 / -1;
      display: grid;
      align-content: center;
      justify-items: center;
      gap: 0.7em;
      width: 100%;
      min-height: 0;
      padding: 0.5em;
      border: none;
      background: radial-gradient(circle at 50% 42%, color-mix(in srgb, var(--accent) 32%, transparent), transparent 62%);
      text-align: center;
      overflow: hidden;
    }
    .attract .big {
      font-size: 2.6em;
      font-weight: 800;
      line-height: 1.05;
    }
    .attract .line {
      max-width: 30em;
      font-size: 1.2em;
      font-weight: 600;
    }
    .attract mb-mood-face {
      width: 5.5em;
      height: 5.5em;
    }
    .attract .playing {
      display: inline-flex;
      align-items: center;
      gap: 0.7em;
      max-width: 100%;
      padding: 0.4em 1em 0.4em 0.4em;
      border-radius: 0.8em;
      background: rgb(6 10 15 / 0.55);
      text-align: left;
    }
    .attract .playing mb-cover {
      --mb-cover-size: 5em;
      flex: none;
    }
    .attract .hint {
      color: #c3ced8;
    }
    /* The guest page's QR code while someone signed in uses the screen: small in the header's corner. */
    header mb-guest-qr {
      --mb-qr-size: max(3.4em, 64px);
      margin: -0.15em 0;
    }
    @media (max-width: 600px) {
      header:has(> mb-guest-qr) {
        gap: 0.5em;
      }
      header mb-guest-qr {
        --mb-qr-size: 56px;
      }
    }
    /*
     * The guest page's QR code while people are in view: a card under the room's mood, at least
     * 230 px (35 mm on a 7" 800x480 screen: scanned from the edge of a table), captioned "Ask for a
     * song". It never covers the song playing or the tiles: on a short screen it takes the cover's
     * place (the cover stays, blurred, as the screen's backdrop).
     */
    .now mb-guest-qr {
      --mb-qr-size: max(230px, min(36vh, 24vw));
      justify-self: center;
    }
    .now[data-qr] {
      grid-template-rows: auto auto minmax(0, 1fr) auto;
    }
    @media (orientation: landscape) and (max-height: 720px) {
      .now[data-qr] {
        grid-template-rows: auto auto auto;
        align-content: space-between;
      }
      .now[data-qr] mb-cover,
      .now[data-qr] h2,
      .now[data-qr] .next,
      .now[data-qr] .playing-why,
      .now[data-qr] .mood p {
        display: none;
      }
    }
    main:has(> mb-guest-qr) {
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas: none;
    }
    main:has(> mb-guest-qr) .attract {
      grid-column: 1;
    }
    main > mb-guest-qr {
      grid-column: 2;
      grid-row: 1;
      align-self: center;
      --mb-qr-size: min(55vh, 34vw);
    }
    :host([data-offline]) main {
      opacity: 0.45;
    }
    .who {
      min-height: max(2.4em, 48px);
      padding: 0 0.9em;
      border: 2px solid rgb(255 255 255 / 0.35);
      border-radius: 2em;
      background: rgb(30 40 51 / 0.85);
    }
    .who .me {
      margin-left: 0.4em;
      font-weight: 600;
      color: #ffd166;
    }
    .who,
    .pill,
    .camera {
      white-space: nowrap;
    }
    /* A narrow screen keeps the header on one line: the name alone opens My music. */
    @media (max-width: 600px) {
      .who .me {
        display: none;
      }
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
    @media (orientation: portrait) {
      main {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
        grid-template-areas: 'now' 'tiles';
      }
      .now {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr);
        grid-template-rows: auto auto;
        grid-template-areas: 'mood mood' 'cover text';
        align-items: center;
        justify-items: start;
        column-gap: 0.9em;
        text-align: left;
      }
      .now .mood {
        grid-area: mood;
        justify-self: center;
      }
      .now mb-cover {
        grid-area: cover;
        height: auto;
        max-height: none;
        --mb-cover-size: min(42vw, 28vh);
        width: var(--mb-cover-size);
      }
      .now .text {
        grid-area: text;
      }
      /* Portrait: the card takes the cover's place beside the song, and the tiles keep their room. */
      .now[data-qr] {
        grid-template-areas: 'mood mood' 'qr text';
      }
      .now[data-qr] mb-cover {
        display: none;
      }
      .now mb-guest-qr {
        grid-area: qr;
        --mb-qr-size: max(230px, min(40vw, 22vh));
      }
      .actions {
        justify-content: flex-start;
      }
      .asked {
        justify-self: start;
      }
    }
    /* A tall screen: the attract screen spreads over all of it, in larger type. */
    @media (orientation: portrait) {
      .attract {
        align-content: space-evenly;
        font-size: 1.25em;
      }
      .attract mb-mood-face {
        width: min(50vw, 26vh);
        height: min(50vw, 26vh);
      }
      .attract .big {
        font-size: 3.2em;
      }
      .attract .playing mb-cover {
        --mb-cover-size: min(28vw, 14vh);
      }
    }
    @media (orientation: portrait) {
      main:has(> mb-guest-qr) {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: minmax(0, 1fr) auto;
      }
      main:has(> mb-guest-qr) .attract {
        grid-row: 1;
      }
      main > mb-guest-qr {
        grid-column: 1;
        grid-row: 2;
        justify-self: center;
        --mb-qr-size: min(24vh, 56vw);
      }
    }
    /* A narrow portrait screen: a smaller hero. */
    @media (orientation: portrait) and (max-width: 700px) {
      .now mb-cover {
        --mb-cover-size: min(36vw, 22vh);
      }
    }
  `,
];
