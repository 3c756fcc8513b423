import { css } from 'lit';

/**
 * What the dashboard charts share: marks in the kiosk's mood colours on the kiosk's dark glass
 * (the colours were chosen for it), axes and labels in the panel's own text colours.
 */
export const CHART_STYLES = css`
  :host {
    display: block;
    color: #111820;
  }
  svg {
    display: block;
    overflow: visible;
    font: inherit;
    /* 14 px: the smallest text of the panel (axis labels included). */
    font-size: 0.875rem;
  }
  .glass {
    fill: #10151c;
  }
  .tick {
    stroke: #6b7280;
  }
  .tick.major {
    stroke: #111820;
  }
  .tick-label {
    fill: #4b5563;
  }
  .tick-label.major {
    fill: #111820;
    font-weight: 600;
  }
  .grid-line {
    stroke: #ffffff;
    stroke-opacity: 0.14;
  }
  .value-label {
    fill: #4b5563;
  }
  .empty {
    margin: 0.5em 0;
    color: #4b5563;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em 1em;
    margin: 0.6em 0 0;
    padding: 0;
    list-style: none;
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    border-radius: 0.2em;
    outline: 1px solid #10151c;
  }
`;
