import { css } from 'lit';
import { ApiError } from '../data/api-client.js';
import { i18n } from './admin-i18n.js';

/** Read out by a screen reader, not shown: a word that the look already says (a mark's colour, a badge's count). */
export const VISUALLY_HIDDEN = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** Styles every admin panel shares: a plain, high-contrast look that works with keyboard and mouse. */
export const ADMIN_STYLES = css`
  :host {
    display: block;
    color: #111820;
  }
  h2 {
    margin: 0 0 0.6em;
    font-size: 1.4em;
  }
  h3 {
    margin: 1em 0 0.4em;
    font-size: 1.1em;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
  }
  button {
    min-height: 2.2em;
    padding: 0 0.9em;
    border: 1px solid #1d4ed8;
    border-radius: 0.35em;
    background: #1d4ed8;
    color: #fff;
    cursor: pointer;
  }
  button.secondary {
    background: #fff;
    color: #1d4ed8;
  }
  button.danger {
    border-color: #b91c1c;
    background: #fff;
    color: #b91c1c;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  :is(button, input, select, textarea, a):focus-visible {
    outline: 3px solid #f59e0b;
    outline-offset: 1px;
  }
  input,
  select,
  textarea {
    min-height: 2.2em;
    padding: 0 0.5em;
    border: 1px solid #6b7280;
    border-radius: 0.3em;
    background: #fff;
    color: #111820;
    font-weight: 400;
  }
  label {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
    max-width: 100%;
    font-weight: 600;
  }
  select {
    max-width: 100%;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.6em;
    margin-bottom: 0.8em;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 0.4em 0.5em;
    border-bottom: 1px solid #d1d5db;
    text-align: start;
    vertical-align: top;
  }
  th {
    background: #f3f4f6;
  }
  .card {
    padding: 1em;
    border: 1px solid #d1d5db;
    border-radius: 0.5em;
    background: #fff;
  }
  .card > h3:first-child {
    margin-top: 0;
  }
  .error {
    color: #991b1b;
    font-weight: 600;
  }
  .ok {
    color: #166534;
    font-weight: 600;
  }
  /* Allowed, but not working now (a camera not plugged in). */
  .warning {
    color: #92400e;
    font-weight: 600;
  }
  .muted {
    color: #4b5563;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
    margin-block: 0 0.3em;
    margin-inline: 0 0.3em;
    padding-block: 0.1em;
    padding-inline: 0.6em 0.2em;
    border-radius: 1em;
    background: #e0e7ff;
    color: #1e1b4b;
  }
  .chip button {
    min-height: 1.6em;
    padding: 0 0.5em;
    border-radius: 1em;
    background: transparent;
    color: #1e1b4b;
    border-color: transparent;
  }
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.8em;
    margin-top: 0.8em;
  }
  .load-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em 0.8em;
    margin: 0 0 0.8em;
  }
  .load-error p {
    margin: 0;
  }
  /* A refusal beside the field it names. */
  .field-error {
    margin: 0.2em 0 0;
    color: #991b1b;
    font-weight: 600;
  }
  [aria-invalid='true'] {
    border-color: #b91c1c;
    box-shadow: 0 0 0 1px #b91c1c;
  }
  /* A disclosure's summary: a finger's target, with a triangle that turns when it opens. */
  summary {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-height: 44px;
    cursor: pointer;
  }
  summary::-webkit-details-marker {
    display: none;
  }
  summary::before {
    content: '';
    flex: none;
    border-top: 0.32em solid transparent;
    border-bottom: 0.32em solid transparent;
    border-inline-start: 0.45em solid currentColor;
    transition: transform 0.15s;
  }
  details[open] > summary::before {
    transform: rotate(90deg);
  }
  /* Not the bare "monospace" family, which browsers draw at 13 px whatever the text around it. */
  code {
    overflow-wrap: anywhere;
    font-family: ui-monospace, 'DejaVu Sans Mono', monospace;
    font-size: max(14px, 0.9em);
  }
  /*
   * On a phone a table of class "cards" becomes one card per row: each cell on its own line, named
   * by its data-label, and the row's actions on the card.
   */
  @media (max-width: 600px) {
    table.cards,
    table.cards > tbody,
    table.cards > tbody > tr,
    table.cards > tbody > tr > td {
      display: block;
    }
    table.cards > thead {
      display: none;
    }
    table.cards > caption {
      display: block;
      margin-bottom: 0.5em;
    }
    table.cards > tbody > tr {
      margin: 0 0 0.8em;
      padding: 0.5em 0.8em;
      border: 1px solid #d1d5db;
      border-radius: 0.5em;
      background: #fff;
    }
    table.cards > tbody > tr > td {
      padding: 0.25em 0;
      border: 0;
      text-align: start;
      overflow-wrap: anywhere;
    }
    table.cards > tbody > tr > td[data-label]::before {
      content: attr(data-label) ': ';
      color: #4b5563;
      font-weight: 600;
    }
    table.cards > tbody > tr > td.actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      padding-top: 0.5em;
    }
    table.cards button {
      min-height: 44px;
    }
    .card {
      padding: 0.8em;
    }
    /* A finger's targets: 44 px at least either way (WCAG 2.5.5). */
    button,
    select,
    textarea,
    input:not([type='checkbox'], [type='radio']) {
      min-height: 44px;
    }
    button,
    select {
      min-width: 44px;
    }
    /* A box on its own is its target; one in a label has the label's line as its target. */
    input:is([type='checkbox'], [type='radio']):not(label input) {
      width: 44px;
      height: 44px;
      margin: 0;
    }
    label:has(> input:is([type='checkbox'], [type='radio'])) {
      min-height: 44px;
      justify-content: center;
    }
    /* A link that is an action on its own (not a word in a sentence) is a target too. */
    a.action {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
    }
  }
`;

/** Formats epoch ms as a date and time in the reader's language, in the box's time zone (named where the reader's differs). */
export function formatTime(ms: number | null): string {
  return ms === null
    ? ''
    : i18n.dateTime(ms, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** The message of an error, for a status line: the box's own sentence in the reader's language where it sends one. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return i18n.said(err.said, err.message);
  return err instanceof Error ? err.message : String(err);
}

/** A text field of a submitted form, '' when missing. */
export function field(data: FormData, key: string): string {
  const value = data.get(key);
  return typeof value === 'string' ? value : '';
}
