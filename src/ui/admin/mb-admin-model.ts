import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, ModelFigure, ModelReport } from '../data/admin-api.js';
import { PageLoader } from './page-loader.js';
import { ADMIN_STYLES } from './admin-styles.js';

const percent = (share: number | null | undefined): string =>
  share === null || share === undefined ? '–' : `${(share * 100).toFixed(2)}%`;

/**
 * The emotion model report: which model runs, its accuracy (int8 and float, on FER-2013
 * PublicTest and against the FER+ majority vote), recall per emotion, where it comes from, and
 * the training curves, confusion matrix and reliability (calibration) plot at their natural size.
 *
 * @summary Admin model report.
 */
@customElement('mb-admin-model')
export class MbAdminModel extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(22em, 100%), 1fr));
        gap: 1em;
        margin-bottom: 1em;
      }
      .headline {
        display: flex;
        flex-wrap: wrap;
        gap: 1.5em;
        margin: 0 0 0.6em;
      }
      .headline div {
        display: grid;
      }
      .headline strong {
        font-size: 1.8em;
        line-height: 1.1;
      }
      tr[data-in-use] td {
        font-weight: 600;
      }
      td.num,
      th.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        display: inline-block;
        height: 0.8em;
        border-radius: 0.2em;
        background: #1d4ed8;
        vertical-align: middle;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.3em 1em;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .plots {
        display: grid;
        gap: 1em;
      }
      figure {
        margin: 0;
      }
      /* Plots keep their natural size (their text is drawn for it); a narrow window scrolls them. */
      .plot {
        display: block;
        width: max-content;
        max-width: 100%;
        overflow-x: auto;
      }
      figure img {
        display: block;
        max-width: none;
        height: auto;
      }
      figcaption {
        margin-top: 0.4em;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _report: ModelReport | null = null;
  readonly #loader = new PageLoader(this, async () => {
    this._report = await this.api.model();
  });

  override render() {
    const r = this._report;
    if (r === null)
      return html`<h2>Model</h2>
        ${this.#loader.status('Loading the model report…')}`;
    const asRun = (precision: ModelFigure['precision']): ModelFigure | undefined =>
      r.figures.find((f) => f.precision === precision && f.flipTta === r.flipTta && f.usage === 'PublicTest');
    const inUse = r.figures.find((f) => f.isInUse && f.flipTta === r.flipTta);
    const int8 = asRun('int8');
    const float = asRun('float');
    return html`<h2>Model</h2>
      <section class="card" aria-labelledby="model-h" style="margin-bottom: 1em">
        <h3 id="model-h">In use: <code>${r.file}</code></h3>
        <div class="headline" data-figures>
          ${
            int8
              ? html`<div data-figure="int8"><span class="muted">int8, PublicTest</span><strong>${percent(int8.accuracy)}</strong></div>`
              : nothing
          }
          ${
            float
              ? html`<div data-figure="float"><span class="muted">float, PublicTest</span><strong>${percent(float.accuracy)}</strong></div>`
              : nothing
          }
          ${
            inUse?.ferPlusMajority
              ? html`<div data-figure="ferplus">
                  <span class="muted">FER+ majority agreement</span><strong>${percent(inUse.ferPlusMajority.accuracy)}</strong>
                </div>`
              : nothing
          }
        </div>
        <p class="muted">
          Measured on FER-2013 PublicTest (${inUse?.n ?? '?'}
          faces)${r.flipTta ? ', each face averaged with its mirror image as the daemon does' : ''}. FER+ majority agreement counts a face
          right when the model names the emotion FER+'s ten annotators chose most often.
        </p>
      </section>
      <section class="card" aria-labelledby="figures-h" style="margin-bottom: 1em">
        <h3 id="figures-h">Accuracy</h3>
        <table class="cards">
          <caption class="muted" style="text-align: left">
            Every model in the manifest, with and without mirror averaging
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Weights</th>
              <th scope="col">Mirror averaging</th>
              <th scope="col" class="num">Accuracy</th>
              <th scope="col" class="num">Macro recall</th>
              <th scope="col" class="num">FER+ majority</th>
              <th scope="col" class="num">Faces/s (1 thread)</th>
            </tr>
          </thead>
          <tbody>
            ${r.figures.map(
              (f) =>
                html`<tr
                  data-precision=${f.precision}
                  data-flip=${f.flipTta}
                  data-in-use=${f.isInUse && f.flipTta === r.flipTta ? '' : nothing}
                >
                  <td>${f.file}${f.isInUse && f.flipTta === r.flipTta ? html` <span class="chip">in use</span>` : nothing}</td>
                  <td data-label="Weights">${f.precision}</td>
                  <td data-label="Mirror averaging">${f.flipTta ? 'yes' : 'no'}</td>
                  <td class="num" data-label="Accuracy">${percent(f.accuracy)}</td>
                  <td class="num" data-label="Macro recall">${percent(f.macroRecall)}</td>
                  <td class="num" data-label="FER+ majority">${percent(f.ferPlusMajority?.accuracy)}</td>
                  <td class="num" data-label="Faces/s (1 thread)">${f.imagesPerSecond === null ? '–' : Math.round(f.imagesPerSecond)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="recall-h">
          <h3 id="recall-h">Recall per emotion</h3>
          ${
            r.perClass.length === 0
              ? html`<p class="muted">The manifest has no per-emotion figures.</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th scope="col">Emotion</th>
                      <th scope="col" class="num">Faces</th>
                      <th scope="col">Recall</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.perClass.map(
                      (c) =>
                        html`<tr>
                          <td>${c.label}</td>
                          <td class="num">${c.n}</td>
                          <td>
                            <span class="bar" style="width: ${(c.recall * 8).toFixed(2)}em" aria-hidden="true"></span> ${percent(c.recall)}
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>
        <section class="card" aria-labelledby="about-h">
          <h3 id="about-h">About this model</h3>
          <dl>
            <dt>Emotions</dt>
            <dd>${r.labels.join(', ')}</dd>
            ${
              r.quantization
                ? html`<dt>Quantization</dt>
                    <dd>${r.quantization}</dd>`
                : nothing
            }
            ${
              r.sourceEpoch === null
                ? nothing
                : html`<dt>Training epoch</dt>
                    <dd>${r.sourceEpoch}</dd>`
            }
            <dt>Mirror averaging</dt>
            <dd>${r.flipTta ? 'on (two inferences per face)' : 'off'}</dd>
            ${
              r.bytes === null
                ? nothing
                : html`<dt>Size</dt>
                    <dd>${(r.bytes / 1024).toFixed(0)} KiB</dd>`
            }
            <dt>sha256</dt>
            <dd><code>${r.sha256}</code></dd>
            <dt>Provenance</dt>
            <dd>${r.provenance}</dd>
            <dt>Licence</dt>
            <dd>${r.licence}</dd>
          </dl>
        </section>
      </div>
      ${
        r.images.length === 0
          ? html`<p class="muted">
              No report plots: the model folder has no <code>report/curves.png</code>, <code>report/confusion.png</code> or
              <code>report/calibration.png</code>.
            </p>`
          : html`<div class="plots">
              ${r.images.map(
                (image) =>
                  html`<figure class="card" data-image=${image.file}>
                    <a
                      class="plot"
                      href=${image.url}
                      target="_blank"
                      rel="noopener"
                      aria-label="${image.title}: open full size in a new tab"
                    >
                      <img src=${image.url} alt=${image.title} loading="lazy" />
                    </a>
                    <figcaption class="muted">
                      ${image.title} · <a href=${image.url} target="_blank" rel="noopener">open full size</a>
                    </figcaption>
                  </figure>`,
              )}
            </div>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-model': MbAdminModel;
  }
}
