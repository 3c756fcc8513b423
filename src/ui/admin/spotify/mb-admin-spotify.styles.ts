import { css } from 'lit';

/** `<mb-admin-spotify>`'s own styles, after the admin's shared ones: the status line, the device list, the playlists table, the account. */
export const SPOTIFY_STYLES = css`
  section.card {
    margin-bottom: 1em;
  }
  .state {
    padding: 0.6em 0.8em;
    border-radius: 0.4em;
    background: #f3f4f6;
  }
  .state[data-state='fallback'] {
    background: #fef2f2;
  }
  .state[data-state='playing'],
  .state[data-state='recovered'] {
    background: #f0fdf4;
  }
  fieldset {
    display: grid;
    gap: 0.4em;
    margin: 0 0 0.6em;
    border: 1px solid #d1d5db;
    border-radius: 0.4em;
  }
  fieldset label {
    flex-direction: row;
    align-items: center;
    gap: 0.5em;
    font-weight: 400;
  }
  .tag {
    padding: 0 0.4em;
    border-radius: 0.3em;
    background: #e0e7ff;
    font-size: 0.9em;
  }
  td.cover {
    width: 4em;
  }
  td.cover img,
  td.cover .none {
    display: block;
    width: 3.5em;
    height: 3.5em;
    border-radius: 0.3em;
    object-fit: cover;
    background: #e5e7eb;
  }
  td.num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  tr[data-changed] td {
    background: #fffbeb;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.3em 1em;
    margin: 0;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
  .paste input {
    min-width: min(36em, 80vw);
  }
`;
