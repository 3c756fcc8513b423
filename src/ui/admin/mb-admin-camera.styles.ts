import { css } from 'lit';

/**
 * `<mb-admin-camera>`'s own styles, after the admin's shared ones: the live view (the frame, the
 * face boxes and their tags), the faces' probability bars, the face-size advice and the hour's light.
 */
export const CAMERA_STYLES = css`
  .live {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 1em 1.5em;
  }
  figure {
    flex: 1 1 24em;
    margin: 0;
    max-width: 40em;
  }
  .frame {
    position: relative;
    overflow: hidden;
    border-radius: 0.4em;
    background: #111820;
  }
  img {
    display: block;
    width: 100%;
    height: auto;
  }
  .frame > svg {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
  .box-under {
    fill: none;
    stroke: #111820;
    stroke-width: 5px;
  }
  .box {
    fill: none;
    stroke: #facc15;
    stroke-width: 3px;
  }
  .tag {
    position: absolute;
    padding: 0.05em 0.4em;
    border-radius: 0.25em;
    background: #facc15;
    color: #111820;
    font-size: 0.875em;
    font-weight: 600;
    line-height: 1.4;
    white-space: nowrap;
  }
  .blank {
    position: absolute;
    inset-inline-start: 0.6em;
    bottom: 0.4em;
    color: #9ca3af;
    font-size: 0.875em;
  }
  figcaption {
    margin-top: 0.3em;
  }
  .faces {
    flex: 1 1 16em;
    max-width: 26em;
  }
  .light .hour {
    display: flex;
    gap: 1px;
    block-size: 1.1em;
    max-inline-size: 24em;
    margin-block: 0.3em;
  }
  .light .hour span {
    flex: 1 1 0;
    border-radius: 1px;
    background: #e5e7eb;
  }
  .light .hour .lit {
    background: #16a34a;
  }
  .light .hour .dark {
    background: #1f2937;
  }
  .sizes .advice,
  .light .advice {
    padding: 0.4em 0.6em;
    border-inline-start: 0.35em solid #d97706;
    background: #fffbeb;
    border-radius: 0.3em;
  }
  .faces h3 {
    margin-top: 0;
  }
  table.probs {
    margin-bottom: 0.8em;
  }
  .probs caption {
    padding-bottom: 0.2em;
    text-align: start;
  }
  .probs th,
  .probs td {
    padding: 0.1em 0.3em;
    border: none;
    background: none;
    font-weight: 400;
    vertical-align: middle;
  }
  .probs th {
    width: 5.5em;
  }
  .probs tr[data-top] :is(th, td) {
    font-weight: 700;
  }
  .probs td.num {
    width: 3em;
    text-align: end;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  .track {
    height: 0.8em;
    border-radius: 0.2em;
    background: #e5e7eb;
  }
  .bar {
    display: block;
    height: 100%;
    border-radius: 0.2em;
    background: #1d4ed8;
  }
`;
