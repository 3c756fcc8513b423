import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, ModelFigure, ModelReport } from '../data/admin-api.js';
import { followLanguage } from '../i18n/i18n.js';
import { PageLoader } from './page-loader.js';
import { type AdminKey, formatNumber, i18n, t, tWith } from './admin-i18n.js';
import { ADMIN_STYLES } from './admin-styles.js';

/** The name of the model file's checksum: a name, the same in every language. */
const SHA256 = 'sha256';
/** The report's plots, by their file in the model folder. */
/** The report plots' titles in the reader's language (the daemon's own are English). */
const PLOT_TITLES: Readonly<Record<string, AdminKey>> = {
  'curves.png': 'admin.model.plots.curves',
  'confusion.png': 'admin.model.plots.confusion',
  'calibration.png': 'admin.model.plots.calibration',
};

function plotTitle(image: { file: string; title: string }): string {
  const key = PLOT_TITLES[image.file];
  return key === undefined ? image.title : t(key);
}

const PLOTS = { curves: 'report/curves.png', confusion: 'report/confusion.png', calibration: 'report/calibration.png' };
/** A file name inside a sentence. */
const code = (text: string) => html`<code>${text}</code>`;

/** A share as a percentage with two decimals, in the reader's way of writing numbers ("97.12%", "97,12 %"). */
const percent = (share: number | null | undefined): string =>
  share === null || share === undefined
    ? '–'
    : formatNumber(share, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });

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
        text-align: end;
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

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    const r = this._report;
    if (r === null)
      return html`<h2>${t('admin.model.title')}</h2>
        ${this.#loader.status(t('admin.model.loading'))}`;
    const asRun = (precision: ModelFigure['precision']): ModelFigure | undefined =>
      r.figures.find((f) => f.precision === precision && f.flipTta === r.flipTta && f.usage === 'PublicTest');
    const inUse = r.figures.find((f) => f.isInUse && f.flipTta === r.flipTta);
    const int8 = asRun('int8');
    const float = asRun('float');
    return html`<h2>${t('admin.model.title')}</h2>
      <section class="card" aria-labelledby="model-h" style="margin-bottom: 1em">
        <h3 id="model-h">${tWith('admin.model.inUse', { file: html`<code>${r.file}</code>` })}</h3>
        <div class="headline" data-figures>
          ${
            int8
              ? html`<div data-figure="int8">
                  <span class="muted">${t('admin.model.int8')}</span><strong>${percent(int8.accuracy)}</strong>
                </div>`
              : nothing
          }
          ${
            float
              ? html`<div data-figure="float">
                  <span class="muted">${t('admin.model.float')}</span><strong>${percent(float.accuracy)}</strong>
                </div>`
              : nothing
          }
          ${
            inUse?.ferPlusMajority
              ? html`<div data-figure="ferplus">
                  <span class="muted">${t('admin.model.ferPlus')}</span><strong>${percent(inUse.ferPlusMajority.accuracy)}</strong>
                </div>`
              : nothing
          }
        </div>
        <p class="muted">
          ${
            inUse === undefined
              ? t('admin.model.measuredUnknown', { flip: String(r.flipTta) })
              : t('admin.model.measured', { faces: inUse.n, flip: String(r.flipTta) })
          }
          ${t('admin.model.ferPlusHelp')}
        </p>
      </section>
      <section class="card" aria-labelledby="figures-h" style="margin-bottom: 1em">
        <h3 id="figures-h">${t('admin.model.accuracyTitle')}</h3>
        <table class="cards">
          <caption class="muted" style="text-align: start">
            ${t('admin.model.everyModel')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('admin.model.model')}</th>
              <th scope="col">${t('admin.model.weights')}</th>
              <th scope="col">${t('admin.model.mirror')}</th>
              <th scope="col" class="num">${t('admin.model.accuracy')}</th>
              <th scope="col" class="num">${t('admin.model.macroRecall')}</th>
              <th scope="col" class="num">${t('admin.model.ferPlusMajority')}</th>
              <th scope="col" class="num">${t('admin.model.speed')}</th>
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
                  <td>
                    ${f.file}${f.isInUse && f.flipTta === r.flipTta ? html` <span class="chip">${t('admin.model.inUseChip')}</span>` : nothing}
                  </td>
                  <td data-label=${t('admin.model.weights')}>${f.precision}</td>
                  <td data-label=${t('admin.model.mirror')}>${f.flipTta ? t('admin.model.yes') : t('admin.model.no')}</td>
                  <td class="num" data-label=${t('admin.model.accuracy')}>${percent(f.accuracy)}</td>
                  <td class="num" data-label=${t('admin.model.macroRecall')}>${percent(f.macroRecall)}</td>
                  <td class="num" data-label=${t('admin.model.ferPlusMajority')}>${percent(f.ferPlusMajority?.accuracy)}</td>
                  <td class="num" data-label=${t('admin.model.speed')}>
                    ${f.imagesPerSecond === null ? '–' : formatNumber(Math.round(f.imagesPerSecond))}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="recall-h">
          <h3 id="recall-h">${t('admin.model.recallTitle')}</h3>
          ${
            r.perClass.length === 0
              ? html`<p class="muted">${t('admin.model.noPerClass')}</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th scope="col">${t('admin.model.emotion')}</th>
                      <th scope="col" class="num">${t('admin.model.faces')}</th>
                      <th scope="col">${t('admin.model.recall')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${r.perClass.map(
                      (c) =>
                        html`<tr>
                          <td>${c.label}</td>
                          <td class="num">${formatNumber(c.n)}</td>
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
          <h3 id="about-h">${t('admin.model.aboutTitle')}</h3>
          <dl>
            <dt>${t('admin.model.emotions')}</dt>
            <dd>${r.labels.join(', ')}</dd>
            ${
              r.quantization
                ? html`<dt>${t('admin.model.quantization')}</dt>
                    <dd>${r.quantization}</dd>`
                : nothing
            }
            ${
              r.sourceEpoch === null
                ? nothing
                : html`<dt>${t('admin.model.epoch')}</dt>
                    <dd>${r.sourceEpoch}</dd>`
            }
            <dt>${t('admin.model.mirror')}</dt>
            <dd>${r.flipTta ? t('admin.model.mirrorOn') : t('admin.model.mirrorOff')}</dd>
            ${
              r.bytes === null
                ? nothing
                : html`<dt>${t('admin.model.size')}</dt>
                    <dd>${t('admin.model.kib', { size: Math.round(r.bytes / 1024) })}</dd>`
            }
            <dt>${SHA256}</dt>
            <dd><code>${r.sha256}</code></dd>
            <dt>${t('admin.model.provenance')}</dt>
            <dd>${r.provenance}</dd>
            <dt>${t('admin.model.licence')}</dt>
            <dd>${r.licence}</dd>
          </dl>
        </section>
      </div>
      ${
        r.images.length === 0
          ? html`<p class="muted">
              ${tWith('admin.model.noPlots', {
                curves: code(PLOTS.curves),
                confusion: code(PLOTS.confusion),
                calibration: code(PLOTS.calibration),
              })}
            </p>`
          : html`<div class="plots">
              ${r.images
                .map((shown) => ({ ...shown, title: plotTitle(shown) }))
                .map(
                  (image) =>
                    html`<figure class="card" data-image=${image.file}>
                      <a
                        class="plot"
                        href=${image.url}
                        target="_blank"
                        rel="noopener"
                        aria-label=${t('admin.model.openPlotLabel', { title: image.title })}
                      >
                        <img src=${image.url} alt=${image.title} loading="lazy" />
                      </a>
                      <figcaption class="muted">
                        ${image.title} · <a href=${image.url} target="_blank" rel="noopener">${t('admin.model.openFull')}</a>
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
