import { css } from 'lit';

/**
 * `<mb-admin-dashboard>`'s own styles, after the admin's shared ones: the grid of cards, the room
 * mood, the health colours, the charts' period buttons, and on a phone the closed "More" card.
 */
export const DASHBOARD_STYLES = css`
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 20em), 1fr));
    gap: 1em;
  }
  .wide {
    grid-column: 1 / -1;
  }
  /* Two charts side by side at most: each needs room for its time labels. */
  .charts {
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 28em), 1fr));
  }
  .health li[data-status='ready'] strong {
    color: #166534;
  }
  .health li[data-status='degraded'] strong,
  .health li[data-status='starting'] strong {
    color: #92400e;
  }
  .health li[data-status='failed'] strong {
    color: #991b1b;
  }
  .restore-note {
    margin-bottom: 1em;
  }
  .restore-note .restored {
    margin: 0 0 0.5em;
  }
  .restore-note .buttons {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 1em;
    margin: 0;
  }
  .room-mood {
    display: flex;
    align-items: center;
    gap: 0.5em;
    margin: 0.2em 0;
    font-size: 1.2em;
  }
  .dot {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    border-radius: 50%;
    outline: 1px solid #10151c;
  }
  .ranges {
    display: inline-flex;
    border: 1px solid #1d4ed8;
    border-radius: 0.35em;
    overflow: hidden;
  }
  .ranges button {
    border: 0;
    border-radius: 0;
    background: #fff;
    color: #1d4ed8;
  }
  .ranges button[aria-pressed='true'] {
    background: #1d4ed8;
    color: #fff;
  }
  .charts-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em 1em;
    margin: 1.2em 0 0.8em;
  }
  .charts-head h3 {
    margin: 0;
  }
  /*
   * A phone's "More" card: its closed parts two to a line, but a part whose name is one long word
   * (Aktivitätsdiagramme) on a line of its own rather than cut; an open one takes the card's width.
   */
  .more {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.6em;
    padding-block: 0.2em;
  }
  .more > details {
    flex: 1 1 40%;
  }
  .more summary {
    font-weight: 600;
  }
  .more > details[open] {
    flex-basis: 100%;
    min-inline-size: 0;
    padding-block-end: 0.8em;
  }
  @media (max-width: 600px) {
    .grid {
      gap: 0.75em;
    }
  }
`;
