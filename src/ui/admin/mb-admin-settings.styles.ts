import { css } from 'lit';

/** `<mb-admin-settings>`'s own styles, after the admin's shared ones: the groups, a setting's row, its widgets, the save bar. */
export const SETTINGS_STYLES = css`
  .group {
    margin-bottom: 1em;
  }
  .group > h3,
  summary {
    margin: 0 0 0.2em;
    font-size: 1.15em;
    font-weight: 700;
  }
  summary {
    cursor: pointer;
    min-height: 2.75em;
    display: flex;
    align-items: center;
  }
  .intro {
    margin: 0 0 0.8em;
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
  }
  code {
    padding: 0 0.2em;
    border-radius: 0.2em;
    background: #f3f4f6;
    font-size: max(14px, 0.95em);
  }
  .setting .error {
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
  input[type='range'] {
    width: 16em;
    padding: 0;
    border: 0;
  }
  input[type='checkbox'] {
    width: 1.4em;
    height: 1.4em;
    min-height: 0;
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
    input[type='range'] {
      width: 100%;
      max-width: 16em;
    }
  }
  @media (max-width: 600px) {
    .savebar {
      margin: 0 -0.8em;
      padding: 0.6em 0.8em;
    }
  }
`;
