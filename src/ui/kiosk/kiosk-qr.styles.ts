import { css } from 'lit';

/**
 * Where the guest page's QR code sits: large beside the attract screen, a card under the room mood
 * while people are in view (in the cover's place on a short or tall screen), small in the header's
 * corner while someone signed in uses the screen.
 */
export const KIOSK_QR_STYLES = css`
  /* The guest page's QR code while someone signed in uses the screen: small in the header's corner. */
  header mb-guest-qr {
    --mb-qr-size: max(3.4em, 64px);
    margin: -0.15em 0;
  }
  @media (max-width: 600px) {
    header:has(> mb-guest-qr) {
      gap: 0.5em;
    }
    header mb-guest-qr {
      --mb-qr-size: 56px;
    }
  }
  /*
   * The guest page's QR code while people are in view: a card under the room's mood, at least
   * 230 px (35 mm on a 7" 800x480 screen: scanned from the edge of a table), captioned "Ask for a
   * song". It never covers the song playing or the tiles: on a short screen it takes the cover's
   * place (the cover stays, blurred, as the screen's backdrop).
   */
  .now mb-guest-qr {
    --mb-qr-size: max(230px, min(36vh, 24vw));
    justify-self: center;
  }
  .now[data-qr] {
    grid-template-rows: auto auto minmax(0, 1fr) auto;
  }
  @media (orientation: landscape) and (max-height: 720px) {
    .now[data-qr] {
      grid-template-rows: auto auto auto;
      align-content: space-between;
    }
    .now[data-qr] mb-cover,
    .now[data-qr] h2,
    .now[data-qr] .next,
    .now[data-qr] .playing-why,
    .now[data-qr] .mood p {
      display: none;
    }
  }
  main:has(> mb-guest-qr) {
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-areas: none;
  }
  main:has(> mb-guest-qr) .attract {
    grid-column: 1;
  }
  main > mb-guest-qr {
    grid-column: 2;
    grid-row: 1;
    align-self: center;
    --mb-qr-size: min(55vh, 34vw);
  }
  @media (orientation: portrait) {
    /* Portrait: the card takes the cover's place beside the song, and the tiles keep their room. */
    .now[data-qr] {
      grid-template-areas: 'mood mood' 'qr text';
    }
    .now[data-qr] mb-cover {
      display: none;
    }
    .now mb-guest-qr {
      grid-area: qr;
      --mb-qr-size: max(230px, min(40vw, 22vh));
    }
  }
  @media (orientation: portrait) {
    main:has(> mb-guest-qr) {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 1fr) auto;
    }
    main:has(> mb-guest-qr) .attract {
      grid-row: 1;
    }
    main > mb-guest-qr {
      grid-column: 1;
      grid-row: 2;
      justify-self: center;
      --mb-qr-size: min(24vh, 56vw);
    }
  }
`;
