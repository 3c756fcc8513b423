import { css } from 'lit';

/** The attract screen: the whole screen while nobody is in view, larger on a tall screen. */
export const KIOSK_ATTRACT_STYLES = css`
  .attract {
    grid-column: 1 / -1;
    grid-row: 1 / -1;
    display: grid;
    align-content: center;
    justify-items: center;
    gap: 0.7em;
    width: 100%;
    min-height: 0;
    padding: 0.5em;
    border: none;
    background: radial-gradient(circle at 50% 42%, color-mix(in srgb, var(--accent) 32%, transparent), transparent 62%);
    text-align: center;
    overflow: hidden;
  }
  /* Line-high enough for the name's descenders and accents: a tighter line clips them. */
  .attract .big {
    font-size: 2.6em;
    font-weight: 800;
    line-height: 1.2;
  }
  .attract .line {
    max-width: 30em;
    font-size: 1.2em;
    font-weight: 600;
  }
  .attract mb-mood-face {
    width: 5.5em;
    height: 5.5em;
  }
  .attract .playing {
    display: inline-flex;
    align-items: center;
    gap: 0.7em;
    max-width: 100%;
    padding-block: 0.4em;
    padding-inline: 0.4em 1em;
    border-radius: 0.8em;
    background: rgb(6 10 15 / 0.55);
    text-align: start;
  }
  .attract .playing mb-cover {
    --mb-cover-size: 5em;
    flex: none;
  }
  .attract .hint {
    color: #c3ced8;
  }
  /* A tall screen: the attract screen spreads over all of it, in larger type. */
  @media (orientation: portrait) {
    .attract {
      align-content: space-evenly;
      font-size: 1.25em;
    }
    .attract mb-mood-face {
      width: min(50vw, 26vh);
      height: min(50vw, 26vh);
    }
    .attract .big {
      font-size: 3.2em;
    }
    .attract .playing mb-cover {
      --mb-cover-size: min(28vw, 14vh);
    }
  }
  /*
   * A phone-sized screen standing up (390x700): the larger type and face of a tall screen would
   * push the line at the foot off it; the face and the cover give way first, the words keep their size.
   */
  @media (orientation: portrait) and (max-height: 760px) {
    .attract {
      font-size: 1em;
      gap: 0.5em;
    }
    .attract mb-mood-face {
      width: min(40vw, 16vh);
      height: min(40vw, 16vh);
    }
    .attract .big {
      font-size: 2.6em;
    }
    .attract .playing mb-cover {
      --mb-cover-size: min(20vw, 10vh);
    }
  }
`;
