import { css } from 'lit';

/**
 * `<mb-admin-users>`'s own styles, after the admin's shared ones: the warning when someone cannot
 * sign in, the people table's yes/no cells, a person's dialog and its "tap a card now" countdown.
 */
export const USERS_STYLES = css`
  .warn {
    padding: 0.5em 0.8em;
    border-inline-start: 4px solid #b45309;
    background: #fffbeb;
    color: #78350f;
    font-weight: 600;
  }
  td.yes {
    color: #166534;
    font-weight: 600;
  }
  td.no {
    color: #92400e;
  }
  tr.disabled td:first-child {
    text-decoration: line-through;
  }
  dialog {
    width: min(40em, 92vw);
    max-height: 90vh;
    padding: 1.2em;
    border: 1px solid #9ca3af;
    border-radius: 0.6em;
  }
  dialog::backdrop {
    background: rgb(17 24 32 / 45%);
  }
  dialog header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 1em;
  }
  dialog h3 {
    margin-top: 0;
  }
  .capture {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em;
    margin: 0.4em 0 0.8em;
  }
  .countdown {
    font-size: 1.3em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  ul.cards {
    padding-inline-start: 1.2em;
  }
`;
