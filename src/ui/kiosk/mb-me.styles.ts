import { css } from 'lit';
import { KIOSK_BASE, KIOSK_PANEL } from './kiosk-styles.js';

/**
 * `<mb-me>`'s styles, after the kiosk's shared ones and its panel: the tabs, the history with its
 * hearts, the preference chips, the calibration, and the status line.
 */
export const ME_STYLES = [
  KIOSK_BASE,
  KIOSK_PANEL,
  css`
    :host {
      background: rgb(6 9 13 / 0.985);
    }
    section {
      grid-template-rows: auto minmax(0, 1fr) auto;
      width: min(100%, 52em);
    }
    [role='tab'] {
      padding: 0 1em;
    }
    [role='tab'][aria-selected='true'] {
      border-color: #ffd166;
      color: #ffd166;
    }
    .body {
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    ol {
      display: grid;
      gap: 0.4em;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: grid;
      grid-template-columns: 2.6em minmax(0, 1fr) auto;
      align-items: center;
      gap: 0.7em;
      padding: 0.3em 0.5em;
      border-radius: 0.6em;
      background: rgb(30 40 51 / 0.8);
    }
    li mb-cover {
      --mb-cover-size: 2.6em;
    }
    .t {
      font-weight: 700;
      overflow-wrap: anywhere;
    }
    .a,
    .at {
      font-size: max(var(--mb-min-text), 0.85em);
      color: #c3ced8;
      overflow-wrap: anywhere;
    }
    .heart[aria-pressed='true'] {
      border-color: #ff6b81;
      color: #ff8fa0;
    }
    .heart[aria-pressed='false'] {
      color: #7a8794;
    }
    .group {
      margin: 0 0 0.9em;
    }
    h3 {
      margin: 0 0 0.1em;
      font-size: 1em;
    }
    .hint,
    .empty {
      margin: 0 0 0.4em;
      font-size: max(var(--mb-min-text), 0.85em);
      color: #c3ced8;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 0.45em;
    }
    .chip {
      padding: 0 1em;
      border-radius: 2em;
      font-weight: 600;
    }
    .chip[aria-pressed='true'] {
      border-color: #ffd166;
      background: #4a3d12;
      color: #ffe3a0;
    }
    .status {
      min-height: 1.3em;
      margin: 0;
      font-size: max(var(--mb-min-text), 0.85em);
      color: #c3ced8;
    }
    .status.error {
      color: #ffb4a2;
    }
    .calibration[data-status='used'] .state {
      color: #2ecc71;
    }
    .calibration .state {
      margin: 0.3em 0 0.2em;
      font-weight: 700;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      margin-top: 0.6em;
    }
    .actions button {
      padding: 0 1.2em;
    }
    .danger {
      border-color: #ff6b6b;
      color: #ffb4a2;
    }
  `,
];
