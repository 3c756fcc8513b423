import { css } from 'lit';

/**
 * `<mb-staff-controls>`'s own styles, after the admin's shared ones: the card's controls, the held
 * mood and the hold form, and the compact bar at the top of every page (one line on a phone, its
 * controls behind a button).
 */
export const STAFF_CONTROLS_STYLES = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em 1em;
  }
  .volume {
    flex-direction: row;
    align-items: center;
    gap: 0.5em;
  }
  /* The slider gives way to a longer word for "Volume" (Lautstärke) on the narrowest phones. */
  .volume input {
    width: 12em;
    min-inline-size: 0;
    min-height: 2.75em;
    padding: 0;
    border: 0;
  }
  output {
    min-width: 2.5ch;
    font-variant-numeric: tabular-nums;
  }
  button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-height: 2.75em;
    min-width: 2.75em;
  }
  .icon {
    width: 0.9em;
    height: 0.9em;
    fill: currentColor;
  }
  .hold {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.6em;
    margin-top: 0.8em;
  }
  /* A long choice ("Surprised room · energetic music") must not push past the card on a phone. */
  .hold label,
  .hold select {
    max-width: 100%;
  }
  .held {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em;
    margin: 0.8em 0 0;
    padding: 0.5em 0.8em;
    border-inline-start: 0.5em solid var(--mood, #b8c9d6);
    border-radius: 0.3em;
    background: #f3f4f6;
  }
  .result {
    min-height: 1.45em;
    margin: 0.6em 0 0;
  }
  /* A phone's dashboard: no line kept for a result until there is one. */
  :host([brief]) .result {
    min-height: 0;
    margin: 0;
  }
  :host([compact]) .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em 1em;
    padding: 0.3em 1.2em;
    border-bottom: 1px solid #d1d5db;
    background: #fff;
  }
  :host([compact]) .now {
    min-width: 12em;
    max-width: 28em;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  :host([compact]) .result {
    margin: 0;
  }
  :host([compact]) .held {
    margin: 0;
    padding: 0.2em 0.6em;
  }
  :host([compact]) .line,
  :host([compact]) .more {
    display: contents;
  }
  :host([compact]) button.toggle,
  :host([compact]) .held-mark {
    display: none;
  }
  /*
   * A phone, or a screen too short for the controls above the page (800x480): the bar is one line
   * (what plays, and whether a mood is held) with a button that opens the controls; closed, it
   * takes one line of the screen, not a third of it.
   */
  @media (max-width: 600px), (max-height: 560px) {
    :host([compact]) .bar {
      display: block;
      padding: 0.2em 0.8em;
    }
    :host([compact]) .line {
      display: flex;
      align-items: center;
      gap: 0.6em;
    }
    /* Two lines where a held mood and the song need them ("Held: Sad · Playing: …"), rather than the title cut at the edge. */
    :host([compact]) .now {
      flex: 1;
      min-width: 0;
      max-width: none;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      white-space: normal;
      overflow-wrap: anywhere;
    }
    :host([compact]) button.toggle {
      display: inline-flex;
      flex: none;
    }
    :host([compact]) .held-mark {
      display: inline;
      font-weight: 600;
    }
    :host([compact]) .more {
      display: none;
    }
    :host([compact]) .more.open {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4em 1em;
      padding: 0.3em 0 0.5em;
    }
    .volume input {
      width: 10em;
    }
  }
`;
