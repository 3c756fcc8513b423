import { css } from 'lit';

/** `<mb-first-run>`'s own styles, after the admin's shared ones: one narrow form a screen, radio choices and buttons of 44 px. */
export const FIRST_RUN_STYLES = css`
  main {
    padding: 1em;
  }
  form {
    display: grid;
    gap: 0.8em;
    max-width: 26em;
    margin: 0 auto;
  }
  form label {
    display: grid;
  }
  form p,
  form h1 {
    margin: 0;
  }
  h1 {
    font-size: 1.4em;
  }
  fieldset {
    display: grid;
    gap: 0.6em;
    border: 0;
    margin: 0;
    padding: 0;
  }
  fieldset label {
    display: flex;
    flex-direction: row;
    justify-content: flex-start;
    gap: 0.6em;
    align-items: center;
    min-height: 44px;
    font-weight: 400;
  }
  legend {
    font-weight: 600;
    margin-bottom: 0.2em;
  }
  input[type='radio'] {
    width: 22px;
    height: 22px;
    flex: none;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6em;
  }
  .actions button {
    min-height: 44px;
  }
`;
