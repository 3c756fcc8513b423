import { css } from 'lit';

/** `<mb-now-playing-card>`'s own styles, after the admin's shared ones: the song playing with its cover and time, and the queue. */
export const NOW_PLAYING_STYLES = css`
  .now {
    display: grid;
    grid-template-columns: 6em minmax(0, 1fr);
    gap: 0.4em 1em;
    align-items: start;
  }
  .now mb-cover {
    --mb-cover-size: 6em;
  }
  .title {
    margin: 0;
    font-size: 1.15em;
    overflow-wrap: anywhere;
  }
  .line {
    margin: 0.15em 0;
    overflow-wrap: anywhere;
  }
  .time {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-top: 0.4em;
    font-variant-numeric: tabular-nums;
  }
  .time progress {
    flex: 1;
    min-width: 4em;
    height: 0.5em;
  }
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  ol li {
    display: grid;
    grid-template-columns: 2.75em minmax(0, 1fr) auto;
    gap: 0.6em;
    align-items: center;
    padding: 0.35em 0;
    border-bottom: 1px solid #e5e7eb;
  }
  ol mb-cover {
    --mb-cover-size: 2.75em;
  }
  ol .what {
    overflow-wrap: anywhere;
  }
  h4 {
    margin: 0.8em 0 0.2em;
    font-size: 1em;
  }
  summary h4 {
    margin: 0;
  }
  :host([brief]) .result {
    margin: 0;
  }
  .staff-pick {
    color: #1d4ed8;
    font-weight: 600;
  }
  li button {
    min-height: 2.75em;
  }
  li .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.4em;
  }
  /* A phone: the song's buttons on their own line under it. */
  @media (max-width: 600px) {
    ol li .actions {
      grid-column: 1 / -1;
      justify-content: flex-start;
    }
  }
`;
