import { css } from 'lit';

/**
 * `<mb-admin>`'s own styles, after the admin's shared ones: the header, the sections' navigation
 * (behind a menu on a phone), the sign-in forms, the staff bar and the skip link.
 */
export const ADMIN_PANEL_STYLES = css`
  :host {
    min-height: 100vh;
    background: #f9fafb;
    font:
      400 16px / 1.45 system-ui,
      sans-serif;
  }
  header {
    display: flex;
    align-items: center;
    gap: 1em;
    padding: 0.6em 1.2em;
    background: #111820;
    color: #fff;
  }
  header h1 {
    margin-block: 0;
    margin-inline: 0 auto;
    font-size: 1.2em;
  }
  header .who {
    overflow-wrap: anywhere;
  }
  button.menu {
    display: none;
    min-width: 44px;
    min-height: 44px;
    border-color: #fff;
    background: transparent;
    color: #fff;
  }
  button.menu svg {
    flex: none;
    vertical-align: middle;
  }
  header .signout,
  select.language {
    flex: none;
    min-height: 44px;
  }
  select.language {
    max-inline-size: 100%;
  }
  nav li.who select.language {
    display: block;
    inline-size: 100%;
    margin-block-start: 0.4em;
  }
  nav ul {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2em;
    margin: 0;
    padding: 0.4em 1.2em;
    list-style: none;
    background: #e5e7eb;
  }
  nav a {
    display: inline-block;
    padding: 0.4em 0.8em;
    border-radius: 0.3em;
    color: #111820;
    text-decoration: none;
    font-weight: 600;
  }
  nav a[aria-current='page'] {
    background: #1d4ed8;
    color: #fff;
  }
  main {
    padding: 1.2em;
    max-width: 80em;
  }
  nav li.who {
    display: none;
  }
  /*
   * A phone, or a screen too short for the sections' links above the page (800x480, in French):
   * the sections behind a menu button, one per line when open.
   */
  header button {
    white-space: nowrap;
  }
  @media (max-width: 600px), (max-height: 560px) {
    /*
     * The name on two lines rather than cut ("Moodbox-/Verwaltung"), never narrower than its longest
     * word: where the menu, the name and Sign out do not fit on one line, Sign out goes under them.
     */
    header {
      flex-wrap: wrap;
      gap: 0.6em;
      padding: 0.4em 0.8em;
    }
    header h1 {
      flex: 1 1 0;
      min-inline-size: min-content;
      font-size: 1.05em;
    }
    header .signout {
      margin-inline-start: auto;
    }
    header .who,
    header select.language {
      display: none;
    }
    button.menu {
      display: inline-flex;
      flex: none;
      align-items: center;
      gap: 0.4em;
    }
    nav ul {
      display: none;
      padding: 0.4em 0.8em;
    }
    nav.open ul {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
    }
    nav a {
      display: block;
      padding: 0.7em 0.8em;
    }
    nav li.who {
      display: block;
      padding: 0.5em 0.8em;
    }
    main {
      padding: 0.8em;
    }
  }
  .signin {
    display: grid;
    gap: 0.8em;
    max-width: 22em;
    margin: 4em auto;
  }
  .signin label {
    display: grid;
  }
  .signin p {
    margin: 0;
  }
  .signin .field-error {
    margin-top: -0.5em;
  }
  .staff-bar {
    position: sticky;
    top: 0;
    z-index: 5;
  }
  .skip {
    position: absolute;
    inset-inline-start: -999px;
  }
  .skip:focus {
    inset-inline-start: 1em;
    top: 1em;
    z-index: 9;
    padding: 0.5em;
    background: #fff;
    color: #111820;
  }
  @media (max-width: 359px) {
    /* Too narrow for the name beside the menu and Sign out, which would leave a cut word: screen readers still read it. */
    header h1 {
      position: absolute;
      width: 1px;
      min-inline-size: 0;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
  }
`;
