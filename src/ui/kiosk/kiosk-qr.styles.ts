import { css, unsafeCSS } from 'lit';

/**
 * The guests' code in a column of its own beside the music, for the now-playing side matched by
 * `.now${qr}`: that side spans the screen (its rows are the screen's, a subgrid), the code on the
 * left, and on the right the room's mood with its reason, the song with why it plays and what plays
 * next, then the tiles (fewer of them: mb-suggestions' `qr`). The cover gives way to the code; it
 * stays, blurred, as the screen's backdrop.
 */
function besideTheMusic(qr: string) {
  const now = unsafeCSS(`.now${qr}`);
  return css`
    main:has(> ${now}) {
      grid-template-columns: auto minmax(0, 1fr);
      grid-template-rows: auto auto minmax(0, 1fr);
      grid-template-areas: none;
      row-gap: 0.45em;
    }
    main > ${now} {
      grid-area: 1 / 1 / -1 / -1;
      grid-template-columns: subgrid;
      grid-template-rows: subgrid;
      grid-template-areas: none;
      justify-items: start;
      align-content: stretch;
      text-align: start;
    }
    ${now} mb-guest-qr {
      grid-area: 1 / 1 / -1 / 2;
      align-self: center;
    }
    ${now} .mood {
      grid-area: 1 / 2;
    }
    /* The song and its artist on one line where they fit; why it plays, its progress and what plays next under them. */
    ${now} .text {
      grid-area: 2 / 2;
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      column-gap: 0.5em;
    }
    ${now} .text > * {
      flex: 1 0 100%;
    }
    ${now} .text > :is(.title, .artist, .asked) {
      flex: 0 1 auto;
    }
    ${now} mb-cover,
    ${now} h2 {
      display: none;
    }
    main:has(> ${now}) mb-suggestions {
      grid-area: 3 / 2;
    }
  `;
}

/**
 * Where the guest page's QR code sits: large beside the attract screen; while people are in view a
 * card under the room mood (in a column of its own beside the music on a short landscape screen,
 * in the cover's place in portrait), or with `guests.kioskQr` `large` at least half the screen's
 * height for the tables; small in the header's corner while someone signed in uses the screen.
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
   * song". It never covers the song playing, the reason, what plays next or the tiles: on a short
   * landscape screen it takes a column of its own and the cover's place (the cover stays, blurred,
   * as the screen's backdrop).
   */
  .now mb-guest-qr {
    --mb-qr-size: max(230px, min(36vh, 24vw));
    justify-self: center;
  }
  .now[data-qr] {
    grid-template-rows: auto auto minmax(0, 1fr) auto;
  }
  /* A short landscape screen (800x480): the card in a column of its own, beside the music. */
  @media (orientation: landscape) and (max-height: 720px) {
    ${besideTheMusic('[data-qr]')}
  }
  /* The large code for the tables, on any landscape screen: at least half the screen's height (62% of it, up to 44% of its width). */
  @media (orientation: landscape) {
    ${besideTheMusic("[data-qr='large']")}
    .now[data-qr='large'] mb-guest-qr {
      --mb-qr-size: min(62vh, 44vw);
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
    } /* For the tables: the code across the screen, at least half its height, the mood above it and the song under it. */
    .now[data-qr='large'] {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas: 'mood' 'qr' 'text';
      justify-items: center;
      text-align: center;
    }
    .now[data-qr='large'] mb-guest-qr {
      --mb-qr-size: min(52vh, 92vw);
    }
    .now[data-qr='large'] .asked {
      justify-self: center;
    }
  }
  /* A portrait screen under 1200 px high has no room left for tiles beside the large code. */
  @media (orientation: portrait) and (max-height: 1200px) {
    main:has(> .now[data-qr='large']) {
      grid-template-rows: minmax(0, 1fr);
      grid-template-areas: 'now';
    }
    main:has(> .now[data-qr='large']) mb-suggestions {
      display: none;
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
