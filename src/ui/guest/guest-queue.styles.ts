import { css } from 'lit';

/**
 * The guest page's lists (up next, search results, this phone's requests), its notices and the
 * countdown. On a narrow phone (under 384 px) the buttons of a row go under its words, so a title keeps
 * the row's width and wraps between words only.
 */
export const QUEUE_STYLES = css`
  ol,
  ul {
    display: grid;
    gap: 0.8rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    display: grid;
    grid-template-columns: 3rem minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.4rem 0.7rem;
  }
  .mine li {
    grid-template-columns: minmax(0, 1fr) auto;
  }
  .next li[data-mine] {
    margin: -0.3rem;
    padding: 0.3rem;
    border-radius: 0.6rem;
    outline: 2px solid var(--accent);
  }
  .when {
    font-size: 0.875rem;
    font-weight: 700;
    color: #f4f6f8;
  }
  /* A plain line in the accent colour: it wraps on a narrow phone without a broken pill. */
  .chip {
    display: block;
    margin-top: 0.1rem;
    font-size: 0.875rem;
    font-weight: 700;
    color: var(--accent);
  }
  .side {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 0.4rem;
  }
  .status {
    display: inline-block;
    padding: 0 0.5rem;
    border-radius: 0.4rem;
    font-size: 0.875rem;
    font-weight: 700;
    color: #0d1117;
    background: #c3ced8;
    white-space: nowrap;
  }
  [data-status='queued'] .status,
  [data-status='playing'] .status,
  [data-status='played'] .status {
    background: #7fdcc0;
  }
  [data-status='declined'] .status,
  [data-status='skipped'] .status {
    background: #ff8a80;
  }
  .cancel {
    padding: 0 0.8rem;
    white-space: nowrap;
  }
  .reason {
    margin: 0.15rem 0 0;
    font-size: 0.875rem;
    color: #dbe3ea;
  }
  .votes {
    display: flex;
    gap: 0.4rem;
  }
  .votes button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.25rem;
    padding: 0 0.5rem;
  }
  .notice {
    margin: 0.6rem 0 0;
    padding: 0.7rem 0.9rem;
    border-radius: 0.7rem;
    border: 2px solid var(--accent);
    background: #2b2207;
    color: #fff3cf;
    font-weight: 700;
    cursor: pointer;
  }
  .limit {
    margin: 0 0 0.8rem;
    padding: 0.6rem 0.8rem;
    border-radius: 0.6rem;
    background: #0d1117;
  }
  .limit p {
    margin: 0;
  }
  .countdown {
    margin-top: 0.3rem;
    color: #dbe3ea;
  }
  [data-countdown] {
    font-weight: 800;
    font-variant-numeric: tabular-nums;
    color: var(--accent);
  }
  @media (max-width: 24rem) {
    .next li,
    .results li {
      grid-template-columns: 3rem minmax(0, 1fr);
    }
    .next li .votes,
    .results li > button,
    .results li > .status {
      grid-column: 2;
      justify-self: start;
    }
    .mine li {
      grid-template-columns: minmax(0, 1fr);
    }
    .side {
      flex-direction: row;
      align-items: center;
      justify-content: space-between;
    }
  }
`;
