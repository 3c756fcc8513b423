import { css } from 'lit';

/**
 * The guest page's styles: a phone first (360–430 px wide, one column, every button at least 48 px
 * for a thumb), the kiosk's dark ground, its yellow accent and its mood colours; wider screens get
 * a centred column.
 */
export const GUEST_STYLES = css`
  :host {
    display: block;
    max-width: 40rem;
    margin: 0 auto;
    padding: 0 0.9rem 6rem;
    color: #f4f6f8;
    font:
      400 16px / 1.35 system-ui,
      sans-serif;
    --accent: #ffd166;
  }
  button,
  input {
    font: inherit;
    color: inherit;
    touch-action: manipulation;
  }
  button {
    min-height: 48px;
    min-width: 48px;
    border: 2px solid #5d6d7e;
    border-radius: 0.6rem;
    background: #1e2833;
    font-weight: 700;
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button[aria-pressed='true'] {
    border-color: var(--accent);
    color: var(--accent);
  }
  /* Liked stays lit: it cannot be taken back, yet it is no failure. */
  button[aria-pressed='true']:disabled {
    opacity: 1;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.8rem;
    padding: 0.8rem 0 0.4rem;
  }
  .brand {
    margin: 0;
    font-weight: 800;
    font-size: 1.2rem;
    margin-inline-end: auto;
  }
  select.language {
    font: inherit;
    font-size: 0.9rem;
    min-height: 48px;
    padding-inline: 0.5rem;
    color: inherit;
    background: transparent;
    border: 1px solid currentColor;
    border-radius: 8px;
  }
  .mood {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding-block: 0.2rem;
    padding-inline: 0.3rem 0.9rem;
    border: 2px solid currentColor;
    border-radius: 1.4rem;
    background: rgb(6 10 15 / 0.6);
    color: #c3ced8;
  }
  /* Words alone (no face while the camera does not see the room) keep off the border. */
  .mood[data-mood='unknown'],
  .mood[data-mood='reading'],
  .mood[data-mood='held'] {
    padding-inline-start: 0.9rem;
  }
  .mood mb-mood-face {
    flex: none;
    width: 2.2rem;
    height: 2.2rem;
  }
  .mood .label {
    font-weight: 800;
  }
  .mood p {
    margin: 0;
    font-size: 0.875rem;
    color: #dbe3ea;
  }
  h2 {
    margin: 0 0 0.5rem;
    font-size: 0.875rem;
    text-transform: uppercase;
    letter-spacing: 0.08em;
    color: #c3ced8;
  }
  section {
    margin-top: 1rem;
    padding: 0.9rem;
    border-radius: 0.9rem;
    background: #151d27;
  }
  .closed {
    border: 2px solid #ff8a80;
    background: #2a1414;
  }
  .closed h2 {
    color: #ffb4a2;
    font-size: 1.1rem;
    text-transform: none;
    letter-spacing: 0;
  }
  .closed p {
    margin: 0;
  }
  .closed .todo {
    margin-top: 0.5rem;
    font-weight: 700;
  }
  .quiet,
  .loading {
    margin: 0;
    color: #c3ced8;
  }
  .loading {
    margin-top: 2rem;
    text-align: center;
  }
  /* While the link is down, what was live is the last known: dimmed, greyed. */
  main[data-stale] > section:not([data-refused]),
  .mood[data-stale] {
    opacity: 0.5;
    filter: grayscale(1);
  }
  .offline {
    margin: 0.4rem 0 0;
    padding: 0.5rem 0.8rem;
    border-radius: 0.6rem;
    background: #ffd7d7;
    color: #5c0000;
    font-weight: 700;
  }
  .now {
    display: grid;
    grid-template-columns: 7rem minmax(0, 1fr);
    gap: 0.6rem 0.9rem;
    align-items: start;
  }
  .now[data-state='stopped'] {
    display: block;
  }
  .now mb-cover {
    box-shadow: 0 0.4rem 1.4rem rgb(0 0 0 / 0.5);
  }
  .now .text h2 {
    margin-bottom: 0.2rem;
  }
  .title {
    font-size: 1.25rem;
    font-weight: 800;
    line-height: 1.15;
    overflow-wrap: break-word;
  }
  .artist {
    color: #dbe3ea;
    overflow-wrap: break-word;
  }
  .time {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    margin-top: 0.4rem;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
    color: #c3ced8;
  }
  .progress {
    flex: 1;
    height: 0.3rem;
    border-radius: 0.2rem;
    background: rgb(255 255 255 / 0.18);
    overflow: hidden;
  }
  .progress div {
    height: 100%;
    background: var(--accent);
  }
  .why {
    margin: 0.4rem 0 0;
    font-size: 0.875rem;
    color: #ffe3a0;
  }
  /* The reasons are written to go inside a sentence ("calm music, for the room’s mood"): one begins a line here. */
  .why::first-letter {
    text-transform: uppercase;
  }
  /*
   * Side by side while both fit on one line each (halves where each holds its words), else one under
   * the other: "Not this 0/3" never wraps, however long the language's words.
   */
  .actions {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
  }
  .actions button {
    flex: 1 1 0;
    min-inline-size: max-content;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    padding: 0 0.6rem;
    white-space: nowrap;
  }
  .count {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    color: #c3ced8;
  }
  .t {
    font-weight: 700;
    overflow-wrap: break-word;
  }
  .a {
    font-size: 0.875rem;
    color: #c3ced8;
    overflow-wrap: break-word;
  }
  .left {
    margin: 0 0 0.6rem;
    font-weight: 700;
    color: #ffe3a0;
  }
  /* Two tiles a row where each still holds a title's longest word, else one: no title cut to a few letters. */
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
    gap: 0.6rem;
  }
  .tile {
    display: grid;
    grid-template-columns: 2.6rem minmax(0, 1fr);
    grid-template-rows: auto auto;
    align-items: center;
    column-gap: 0.5rem;
    padding: 0.4rem;
    text-align: start;
  }
  .tile mb-cover {
    grid-row: 1 / 3;
  }
  /* The whole title and artist, wrapped between words. */
  .tile .t {
    align-self: end;
    line-height: 1.15;
    font-size: 0.9375rem;
  }
  .tile .a {
    align-self: start;
    font-weight: 400;
  }
  form {
    margin-top: 0.9rem;
  }
  label {
    display: block;
    margin-bottom: 0.3rem;
    font-weight: 700;
  }
  .search {
    display: flex;
    gap: 0.5rem;
  }
  input {
    flex: 1;
    min-width: 0;
    min-height: 48px;
    padding: 0 0.8rem;
    border: 2px solid #5d6d7e;
    border-radius: 0.6rem;
    background: #0d1117;
  }
  .search button {
    padding: 0 1rem;
    background: #2b2207;
    border-color: var(--accent);
  }
  .results {
    margin-top: 0.8rem;
  }
  .results button {
    padding: 0 0.8rem;
    white-space: nowrap;
  }
  .ask > .quiet {
    margin-top: 0.8rem;
  }
  /*
   * What became of a tap, right under what was tapped, in the page's flow: it pushes what follows
   * down rather than covering a list or a button, and what was tapped stays where it was.
   */
  .message {
    grid-column: 1 / -1;
    margin: 0.6rem 0 0;
    padding: 0.7rem 0.9rem;
    border-radius: 0.7rem;
    background: #f4f6f8;
    color: #0d1117;
    font-weight: 700;
    cursor: pointer;
  }
  .message[data-error] {
    background: #ffd7d7;
    color: #5c0000;
    border: 3px solid #ff4d5a;
  }
`;
