import { css } from 'lit';

/**
 * The kiosk's now-playing side: the blurred backdrop, the room mood badge, the hero cover, the song
 * with why it plays, its progress, Like and Skip, and what plays next; beside the tiles in
 * landscape, above them in portrait.
 */
export const KIOSK_NOW_STYLES = css`
  /* The cover of what plays, blurred and dimmed, behind everything: the screen takes its colours. */
  .backdrop {
    position: absolute;
    inset: -10%;
    z-index: -1;
    background-size: cover;
    background-position: center;
    filter: blur(40px) saturate(1.3) brightness(0.42);
    transform: scale(1.1);
  }
  .backdrop.generated {
    filter: none;
    transform: none;
    opacity: 0.55;
  }
  .now {
    grid-area: now;
    display: grid;
    grid-template-rows: auto minmax(0, min(42vh, 34vw)) auto;
    justify-items: center;
    align-content: center;
    gap: 0.35em;
    min-height: 0;
    min-width: 0;
    text-align: center;
  }
  /* The hero cover takes the height the mood and the text leave, up to a large square. */
  .now mb-cover {
    height: 100%;
    width: auto;
    max-height: min(42vh, 34vw);
    max-width: 100%;
    min-height: 0;
    border-radius: 0.6em;
    box-shadow: 0 0.6em 2em rgb(0 0 0 / 0.55);
  }
  .now .text {
    display: grid;
    gap: 0.15em;
    width: 100%;
    min-width: 0;
  }
  .now h2 {
    margin: 0;
    font-size: max(var(--mb-min-text), 0.75em);
    text-transform: uppercase;
    letter-spacing: 0.08em;
    color: #c3ced8;
  }
  .title.longer {
    font-size: 1.15em;
  }
  .title {
    font-size: 1.45em;
    font-weight: 800;
    line-height: 1.15;
    overflow-wrap: anywhere;
  }
  .artist {
    color: #dbe3ea;
    overflow-wrap: anywhere;
  }
  .asked {
    justify-self: center;
    padding: 0 0.6em;
    border-radius: 1em;
    font-size: max(var(--mb-min-text), 0.8em);
    font-weight: 700;
    color: #0d1117;
    background: var(--accent);
  }
  .progress {
    height: 0.35em;
    margin: 0.3em 0;
    border-radius: 0.2em;
    background: rgb(255 255 255 / 0.18);
    overflow: hidden;
  }
  .progress div {
    height: 100%;
    background: var(--accent);
  }
  .playing-why {
    margin: 0;
    font-size: max(var(--mb-min-text), 0.9em);
    color: #dbe3ea;
    font-style: italic;
    overflow-wrap: anywhere;
  }
  /* No sound reaches the room: said plainly, where why the song plays stands. */
  .playing-why.stalled {
    color: #ffd27a;
    font-style: normal;
    font-weight: 700;
  }
  .next {
    margin: 0;
    font-size: max(var(--mb-min-text), 0.9em);
    color: #c3ced8;
    overflow-wrap: anywhere;
  }
  .mood {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    max-width: 100%;
    padding-block: 0.25em;
    padding-inline: 0.35em 0.9em;
    border-radius: 2em;
    background: rgb(6 10 15 / 0.6);
    border: 2px solid currentColor;
    text-align: start;
  }
  /* Camera off or unavailable: two or three lines and no face on the left, so a pill's round
   ends would cut into the text. */
  .mood[data-state^='camera'] {
    border-radius: 1em;
    padding: 0.45em 0.9em;
  }
  .mood mb-mood-face {
    flex: none;
    width: 2.1em;
    height: 2.1em;
  }
  .mood .label {
    font-size: 1.15em;
    font-weight: 800;
    line-height: 1.1;
  }
  .mood p {
    margin: 0;
    font-size: max(var(--mb-min-text), 0.85em);
    color: #dbe3ea;
  }
  .mood p.plan {
    color: #f5c26b;
    font-weight: 700;
  }
  .mood .calibrated {
    display: inline-block;
    margin-top: 0.15em;
    padding: 0 0.5em;
    border-radius: 1em;
    font-size: max(var(--mb-min-text), 0.75em);
    font-weight: 700;
    color: #0d1117;
    background: #2ecc71;
  }
  .actions {
    display: flex;
    justify-content: center;
    gap: 0.6em;
    margin-top: 0.2em;
  }
  .actions button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: max(2.4em, 48px);
    min-width: 5em;
    border: 2px solid #8fa3b5;
    border-radius: 0.5em;
    background: rgb(30 40 51 / 0.85);
    font-weight: 700;
  }
  .actions button[aria-pressed='true'] {
    border-color: #ff6b81;
    color: #ff8fa0;
  }
  @media (orientation: portrait) {
    .now {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      grid-template-rows: auto auto;
      grid-template-areas: 'mood mood' 'cover text';
      align-items: center;
      justify-items: start;
      column-gap: 0.9em;
      text-align: start;
    }
    .now .mood {
      grid-area: mood;
      justify-self: center;
    }
    .now mb-cover {
      grid-area: cover;
      height: auto;
      max-height: none;
      --mb-cover-size: min(42vw, 28vh);
      width: var(--mb-cover-size);
    }
    .now .text {
      grid-area: text;
    }
    .actions {
      justify-content: flex-start;
    }
    .asked {
      justify-self: start;
    }
  }
  /* A narrow portrait screen: a smaller hero. */
  @media (orientation: portrait) and (max-width: 700px) {
    .now mb-cover {
      --mb-cover-size: min(36vw, 22vh);
    }
  }
`;
