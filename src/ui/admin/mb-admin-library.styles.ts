import { css } from 'lit';

/**
 * `<mb-admin-library>`'s own styles, after the admin's shared ones: the music folders card with its
 * progress bars, the track table (a card per track on a phone) with its covers, listen buttons and
 * "heard" marks, and the bulk bar fixed at the bottom.
 */
export const LIBRARY_STYLES = css`
  .scan {
    display: grid;
    gap: 0.5em;
    margin-bottom: 1em;
  }
  .scan .row {
    margin: 0;
    align-items: center;
  }
  progress {
    width: 100%;
    max-width: 40em;
    height: 1.2em;
    accent-color: #1d4ed8;
  }
  .scan ul {
    margin: 0.2em 0;
    padding-inline-start: 1.2em;
  }
  .scan code {
    word-break: break-all;
  }
  td.cover {
    width: 3.2em;
    --mb-cover-size: 3em;
  }
  td.pick {
    width: 2.6em;
  }
  td.pick input,
  th.pick input {
    width: 1.4em;
    height: 1.4em;
    min-height: 0;
  }
  .legend {
    max-width: 60em;
  }
  /* The bulk bar stays on screen, at the bottom, while the list scrolls under it. */
  .bulk {
    position: fixed;
    inset-inline: 0;
    bottom: 0;
    z-index: 6;
    box-sizing: border-box;
    align-items: center;
    margin: 0;
    padding: 0.6em 1.2em;
    border-top: 2px solid #1d4ed8;
    background: #eff6ff;
    box-shadow: 0 -2px 8px rgb(0 0 0 / 12%);
  }
  /* Room under the list for the bulk bar, so it never hides the last track or the pager. */
  .bulk-space {
    height: 9em;
  }
  label.all {
    flex-direction: row;
    align-items: center;
    gap: 0.5em;
  }
  .phone-only {
    display: none;
  }
  @media (max-width: 600px) {
    table.cards > thead,
    table.cards > thead > tr,
    table.cards > thead th.pick {
      display: block;
      border: 0;
      background: none;
      padding: 0 0 0.5em;
    }
    table.cards > thead th:not(.pick) {
      display: none;
    }
    .phone-only {
      display: inline;
      font-weight: 400;
    }
    table.cards > tbody > tr {
      display: grid;
      grid-template-columns: auto auto minmax(0, 1fr);
      gap: 0.2em 0.6em;
      align-items: start;
    }
    table.cards > tbody > tr > td.pick,
    table.cards > tbody > tr > td.cover,
    table.cards > tbody > tr > td.what {
      width: auto;
      grid-row: 1;
    }
    table.cards > tbody > tr > td[data-label],
    table.cards > tbody > tr > td.moods {
      grid-column: 1 / -1;
    }
    .bulk {
      padding: 0.5em 0.8em;
    }
    audio.preview {
      width: 100%;
    }
  }
  form.add {
    margin: 0.3em 0 0;
  }
  button.listen,
  audio.preview {
    display: block;
    margin-top: 0.3em;
  }
  audio.preview {
    width: 16em;
  }
  /* A blocked song says so where Block was, and leads to Blocked music. */
  a.blocked {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    color: #b91c1c;
    font-weight: 600;
  }
  .heard {
    display: flex;
    align-items: center;
    gap: 0.5em;
    margin-bottom: 0.3em;
    font-size: 0.9em;
    color: #374151;
  }
  .heard svg {
    flex: none;
    border: 1px solid #9ca3af;
    border-radius: 0.25em;
    background: #f9fafb;
  }
`;
