import { css } from 'lit';

/** `<mb-admin-settings>`'s own styles, after the admin's shared ones: the groups, a setting's row, its widgets, the save bar. */
export const SETTINGS_STYLES = css`
  .group {
    margin-bottom: 1em;
  }
  /* The tabs: one row on a wide screen, three to a row on a phone; each 44 px high at least. */
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    margin: 0 0 0.8em;
  }
  [role='tab'] {
    position: relative;
    min-height: 44px;
    background: #fff;
    color: #1d4ed8;
    font-weight: 600;
  }
  [role='tab'][aria-selected='true'] {
    background: #1d4ed8;
    color: #fff;
  }
  .mark {
    display: inline-block;
    width: 0.55em;
    height: 0.55em;
    margin-inline-start: 0.35em;
    border-radius: 50%;
    background: #f59e0b;
    vertical-align: middle;
  }
  .mark.wrong {
    background: #dc2626;
  }
  summary {
    display: flex;
    align-items: center;
    min-height: 44px;
    margin: 0;
    font-size: 1.05em;
    font-weight: 700;
    cursor: pointer;
  }
  .part {
    border-top: 1px solid #e5e7eb;
  }
  .intro {
    margin: 0 0 0.4em;
  }
  .setting {
    display: grid;
    grid-template-columns: minmax(12em, 20em) 1fr;
    gap: 0.3em 1.2em;
    padding: 0.7em 0;
    border-top: 1px solid #e5e7eb;
  }
  .setting > label,
  .setting > .name {
    flex-direction: row;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em;
  }
  .field {
    display: grid;
    gap: 0.3em;
    grid-template-columns: minmax(0, 1fr);
    justify-items: start;
    min-width: 0;
  }
  .field output {
    max-width: 100%;
    overflow-wrap: anywhere;
  }
  .help {
    margin: 0;
    color: #4b5563;
    font-size: 0.92em;
    /* A long word of a longer language, or a path, wraps rather than widening the page. */
    overflow-wrap: anywhere;
  }
  code {
    padding: 0 0.2em;
    border-radius: 0.2em;
    background: #f3f4f6;
    font-size: max(14px, 0.95em);
  }
  .setting .error,
  .setting .note {
    margin: 0;
  }
  .inline {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .inline label {
    flex-direction: row;
    align-items: center;
    font-weight: 400;
  }
  /* A slider and its value on one line; the slider's height is its target. */
  .inline:has(input[type='range']) {
    flex-wrap: nowrap;
    width: 100%;
    max-width: 24em;
  }
  input[type='range'] {
    flex: 1 1 auto;
    min-width: 0;
    height: 44px;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .inline output {
    flex: none;
    min-width: 2.5em;
  }
  input[type='checkbox'] {
    width: 1.4em;
    height: 1.4em;
    min-height: 0;
  }
  /* A box in a label: the label's line, 44 px high, is its target. */
  .field label:has(> input[type='checkbox']) {
    min-height: 44px;
    justify-content: center;
  }
  /* A switch: a track and a knob, the whole 52x44 px its target; its name beside it, the help below both. */
  .field input[role='switch'] {
    appearance: none;
    position: relative;
    flex: none;
    width: 52px;
    height: 44px;
    margin: 0;
    padding: 0;
    border: 0;
    background: transparent;
    cursor: pointer;
  }
  .field input[role='switch']::before {
    content: '';
    position: absolute;
    inset: 8px 0;
    border: 1px solid #4b5563;
    border-radius: 14px;
    background: #e5e7eb;
  }
  .field input[role='switch']::after {
    content: '';
    position: absolute;
    top: 12px;
    inset-inline-start: 4px;
    width: 20px;
    height: 20px;
    border-radius: 50%;
    background: #fff;
    box-shadow: 0 0 0 1px #4b5563;
    transition: inset-inline-start 0.15s;
  }
  .field input[role='switch']:checked::before {
    border-color: #1d4ed8;
    background: #1d4ed8;
  }
  .field input[role='switch']:checked::after {
    inset-inline-start: 28px;
    box-shadow: none;
  }
  .setting[data-widget='switch'] {
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
  }
  .setting[data-widget='switch'] > .field {
    display: contents;
  }
  .setting[data-widget='switch'] .help,
  .setting[data-widget='switch'] .error {
    grid-column: 1 / -1;
  }
  input.wide {
    box-sizing: border-box;
    width: 28em;
    max-width: 100%;
  }
  .inline:has(input.wide) {
    width: 100%;
  }
  .inline input.wide {
    flex: 1 1 12em;
    width: auto;
  }
  .chip {
    padding: 0.05em 0.6em;
    font-size: 0.875em;
    font-weight: 600;
  }
  .chip.restart {
    background: #fef3c7;
    color: #78350f;
  }
  /* On screen while there is something to save; otherwise at the end of the form, covering nothing. */
  .savebar {
    position: static;
    bottom: 0;
    z-index: 2;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em 1em;
    margin: 0 -1.2em;
    padding: 0.7em 1.2em;
    border-top: 1px solid #d1d5db;
    background: #fff;
    box-shadow: 0 -2px 8px rgb(0 0 0 / 8%);
  }
  .savebar.dirty {
    position: sticky;
  }
  .savebar p {
    margin: 0;
  }
  @media (max-width: 700px) {
    .setting {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  @media (max-width: 600px) {
    .tabs {
      display: grid;
      grid-template-columns: repeat(3, minmax(0, 1fr));
    }
    [role='tab'] {
      padding: 0 0.3em;
      /* A longer word (Bildschirme, Instellingen) breaks rather than spill out of its third of the row. */
      overflow-wrap: anywhere;
      hyphens: auto;
    }
    .savebar {
      margin: 0 -0.8em;
      padding: 0.6em 0.8em;
    }
  }
  [data-restart-card] .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6em;
  }
  [data-restart-card] [role='alertdialog'] p {
    margin: 0 0 0.8em;
    font-weight: 600;
  }
  @media (max-width: 359px) {
    /* Two a row on the narrowest phones: a third of 320 px cuts the longer names in two. */
    .tabs {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
  }
`;
