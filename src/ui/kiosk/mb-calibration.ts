import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CalibrationExpression, CalibrationView } from '../../daemon/http/contract.js';
import { ApiError } from '../data/api-client.js';
import type { KioskApi } from '../data/kiosk-api.js';
import { emit } from '../events.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t, type KioskKey } from './kiosk-i18n.js';
import { KIOSK_BASE, KIOSK_PANEL } from './kiosk-styles.js';

/**
 * The pace of a guided calibration, in one place. With a face in view the whole session takes
 * about 35 s (5 × (prompt + countdown + samples)); an expression that keeps finding no face gives
 * up after `maxRecordMs`, so it never runs past a minute.
 */
export const CALIBRATION_TIMING = {
  /** The prompt alone, before its countdown (ms). */
  promptMs: 700,
  /** The countdown counts down from this, one number a `countdownStepMs`. */
  countdownFrom: 3,
  countdownStepMs: 1000,
  /** One sample is asked for about this often (ms). */
  sampleEveryMs: 400,
  /** Samples recorded per expression (7 × 400 ms ≈ 2.5 s of faces). */
  samplesPerExpression: 7,
  /** Longest one expression keeps trying while no face is in view (ms). */
  maxRecordMs: 7000,
} as const;

/** What the session asks for, in order, and how (a message of the kiosk's catalogue). */
export const CALIBRATION_PROMPTS: ReadonlyArray<{ expression: CalibrationExpression; prompt: KioskKey }> = [
  { expression: 'neutral', prompt: 'kiosk.calibration.prompt.neutral' },
  { expression: 'happy', prompt: 'kiosk.calibration.prompt.happy' },
  { expression: 'sad', prompt: 'kiosk.calibration.prompt.sad' },
  { expression: 'surprise', prompt: 'kiosk.calibration.prompt.surprise' },
  { expression: 'angry', prompt: 'kiosk.calibration.prompt.angry' },
];

type Stored = NonNullable<CalibrationView['stored']>;
export type CalibrationStatus = 'none' | 'used' | 'not-used' | 'old-model';

/**
 * A stored calibration in plain words, in the kiosk's language: its status, a title, and a line
 * with the figures or the reason it is not used.
 */
export function describeCalibration(stored: Stored | null): { status: CalibrationStatus; title: string; detail: string } {
  if (stored === null) {
    return { status: 'none', title: t('kiosk.calibration.none.title'), detail: t('kiosk.calibration.none.detail') };
  }
  if (!stored.currentModel) {
    return { status: 'old-model', title: t('kiosk.calibration.oldModel.title'), detail: t('kiosk.calibration.oldModel.detail') };
  }
  const { n } = stored.validation;
  // Counts, not shares: "8 of 12" is what a person checks against what they did.
  const right = (share: number): number => Math.round(share * n);
  const generic = right(stored.validation.generic);
  const personal = right(stored.validation.personal);
  if (stored.used) {
    return {
      status: 'used',
      title: t('kiosk.calibration.used.title'),
      detail: t('kiosk.calibration.used.detail', { n, personal, generic }),
    };
  }
  const title = t('kiosk.calibration.notUsed.title');
  if (n === 0) return { status: 'not-used', title, detail: t('kiosk.calibration.notUsed.tooFew') };
  return {
    status: 'not-used',
    title,
    detail:
      generic === n
        ? t('kiosk.calibration.notUsed.alreadyGood', { n })
        : t('kiosk.calibration.notUsed.notBetter', { n, personal, generic }),
  };
}

type Phase = 'starting' | 'prompt' | 'countdown' | 'recording' | 'finishing' | 'result' | 'error';

/** Waits `ms`, or less when `signal` aborts (it resolves then; the caller checks the signal). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The guided calibration of the signed-in person, over the screen: for each expression a prompt,
 * a 3-2-1 countdown, then a few samples of their face (the daemon keeps the model's numbers, never
 * the picture). A sample with no face in view says "Look at the camera" and is tried again without
 * counting. Cancel drops the recording at any time and leaves what was stored; at the end the
 * daemon fits their calibration and the result says whether it is used, and why not.
 *
 * @summary A guided expression calibration.
 * @event mb-calibration-close - Cancel or Done was pressed (`isStored` after a finished session).
 */
@customElement('mb-calibration')
export class MbCalibration extends LitElement {
  static override styles = [
    KIOSK_BASE,
    KIOSK_PANEL,
    css`
      :host {
        z-index: 20;
        background: #06090d;
      }
      section {
        grid-template-rows: auto auto minmax(0, 1fr);
        gap: 0.6em;
        width: min(100%, 40em);
      }
      button {
        padding: 0 1.2em;
      }
      .privacy {
        margin: 0;
        color: #c3ced8;
      }
      .stage {
        display: grid;
        align-content: center;
        justify-items: center;
        gap: 0.5em;
        min-height: 0;
        text-align: center;
      }
      .prompt {
        font-size: 2em;
        font-weight: 800;
      }
      .noface {
        min-height: 1.4em;
        font-weight: 700;
        color: #ffd166;
      }
      .count {
        font-size: 3em;
        font-weight: 800;
        color: #ffd166;
        font-variant-numeric: tabular-nums;
      }
      .progress {
        color: #c3ced8;
      }
      ol {
        display: flex;
        gap: 0.5em;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      ol li {
        width: 0.9em;
        height: 0.9em;
        border-radius: 50%;
        background: #2a3542;
      }
      ol li[data-state='done'] {
        background: #2ecc71;
      }
      ol li[data-state='now'] {
        background: #ffd166;
      }
      .result h3 {
        margin: 0;
        font-size: 1.5em;
      }
      .result[data-status='used'] h3 {
        color: #2ecc71;
      }
      .result p {
        margin: 0;
        max-width: 32em;
      }
      .error {
        color: #ffb4a2;
      }
    `,
  ];

  /** The data layer of the kiosk. */
  @property({ attribute: false }) api: KioskApi | null = null;

  @state() private _phase: Phase = 'starting';
  @state() private _step = 0;
  @state() private _countdown = 0;
  @state() private _samples = 0;
  @state() private _isNoFace = false;
  @state() private _result: CalibrationView | null = null;
  @state() private _error: string | null = null;
  /** Faces the camera sees now, from the daemon's state: the face-in-view indicator. */
  @state() private _faces = 0;

  #run: AbortController | undefined;

  readonly #onState = (): void => {
    this._faces = this.api?.client.snapshot.state?.mood.faces ?? 0;
  };

  constructor() {
    super();
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.api?.client.addEventListener('change', this.#onState);
    this.#onState();
    const run = new AbortController();
    this.#run = run;
    void this.#session(run.signal);
  }

  override disconnectedCallback(): void {
    this.api?.client.removeEventListener('change', this.#onState);
    // Taken off the screen mid-way (a sign-out): the recording is dropped, what was stored stays.
    if (this.#run !== undefined && !this.#run.signal.aborted && this._phase !== 'result') {
      this.#run.abort();
      void this.api?.cancelCalibration().catch(() => undefined);
    }
    super.disconnectedCallback();
  }

  override render() {
    const isOver = this._phase === 'result' || this._phase === 'error';
    return html`<section role="dialog" aria-modal="true" aria-labelledby="calibration-title">
      <div class="top">
        <h2 id="calibration-title">${t('kiosk.calibration.title')}</h2>
        ${
          isOver
            ? nothing
            : html`<span class="indicator" role="status" data-faces=${this._faces}
                  ><span class="dot" ?data-face=${this._faces > 0} aria-hidden="true"></span
                  >${this._faces > 0 ? t('kiosk.calibration.faceInView') : t('kiosk.calibration.noFaceInView')}</span
                >
                <button data-action="cancel-calibration" @click=${this.#cancel}>${t('kiosk.calibration.cancel')}</button>`
        }
      </div>
      <p class="privacy">${t('kiosk.calibration.privacy')}</p>
      ${isOver ? this.#renderEnd() : this.#renderStep()}
    </section>`;
  }

  #renderStep() {
    const step = CALIBRATION_PROMPTS[this._step];
    const prompt =
      this._phase === 'starting'
        ? t('kiosk.calibration.gettingReady')
        : this._phase === 'finishing'
          ? t('kiosk.calibration.workingItOut')
          : step === undefined
            ? ''
            : t(step.prompt);
    return html`<div
      class="stage"
      data-phase=${this._phase}
      data-expression=${this._phase === 'starting' || this._phase === 'finishing' ? '' : (step?.expression ?? '')}
    >
      <div class="prompt" aria-live="polite">${prompt}</div>
      <div class="noface" role="status">${this._isNoFace ? t('kiosk.calibration.lookAtCamera') : ''}</div>
      ${
        this._phase === 'countdown'
          ? html`<div class="count" aria-hidden="true">${this._countdown}</div>`
          : this._phase === 'recording'
            ? html`<div class="progress">
                ${t('kiosk.calibration.holdIt', { done: this._samples, total: CALIBRATION_TIMING.samplesPerExpression })}
              </div>`
            : nothing
      }
      <ol aria-label=${t('kiosk.calibration.stepLabel', { step: this._step + 1, steps: CALIBRATION_PROMPTS.length })}>
        ${CALIBRATION_PROMPTS.map(
          (_, i) =>
            html`<li
              data-state=${i < this._step || this._phase === 'finishing' ? 'done' : i === this._step && this._phase !== 'starting' ? 'now' : 'next'}
            ></li>`,
        )}
      </ol>
    </div>`;
  }

  #renderEnd() {
    if (this._phase === 'error') {
      return html`<div class="stage result" data-phase="error">
        <p class="error" role="alert">${this._error}</p>
        <button class="done" data-action="close-calibration" @click=${() => this.#close(false)}>${t('kiosk.calibration.done')}</button>
      </div>`;
    }
    const { status, title, detail } = describeCalibration(this._result?.stored ?? null);
    return html`<div class="stage result" data-phase="result" data-status=${status}>
      <h3>${title}</h3>
      <p>${detail}</p>
      <button class="done" data-action="close-calibration" @click=${() => this.#close(true)}>${t('kiosk.calibration.done')}</button>
    </div>`;
  }

  async #session(signal: AbortSignal): Promise<void> {
    const api = this.api;
    if (api === null) return;
    const timing = CALIBRATION_TIMING;
    try {
      await api.startCalibration();
      for (const [i, { expression }] of CALIBRATION_PROMPTS.entries()) {
        if (signal.aborted) return;
        this._step = i;
        this._samples = 0;
        this._isNoFace = false;
        this._phase = 'prompt';
        await sleep(timing.promptMs, signal);
        this._phase = 'countdown';
        for (let n = timing.countdownFrom; n > 0 && !signal.aborted; n--) {
          this._countdown = n;
          await sleep(timing.countdownStepMs, signal);
        }
        if (signal.aborted) return;
        this._phase = 'recording';
        await this.#record(api, expression, signal);
      }
      if (signal.aborted) return;
      this._isNoFace = false;
      this._phase = 'finishing';
      this._result = await api.finishCalibration();
      if (!signal.aborted) this._phase = 'result';
    } catch (err) {
      if (signal.aborted) return;
      this.#run?.abort();
      // The daemon's reason when it gives one as a message (the camera is off), else a plain "try again".
      this._error = i18n.said(err instanceof ApiError ? err.said : undefined, t('kiosk.calibration.stopped'));
      this._phase = 'error';
      void api.cancelCalibration().catch(() => undefined);
    }
  }

  /** Samples `expression` until enough are recorded or its time is up; "no face" answers do not count. */
  async #record(api: KioskApi, expression: CalibrationExpression, signal: AbortSignal): Promise<void> {
    const { samplesPerExpression, sampleEveryMs, maxRecordMs } = CALIBRATION_TIMING;
    const until = performance.now() + maxRecordMs;
    while (this._samples < samplesPerExpression && performance.now() < until && !signal.aborted) {
      const asked = performance.now();
      try {
        await api.recordCalibrationSample(expression);
        if (signal.aborted) return;
        this._samples += 1;
        this._isNoFace = false;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'MB_ERR_CAMERA_NO_FACE')) throw err;
        this._isNoFace = true;
      }
      await sleep(Math.max(0, sampleEveryMs - (performance.now() - asked)), signal);
    }
  }

  #cancel = async (): Promise<void> => {
    this.#run?.abort();
    try {
      await this.api?.cancelCalibration();
    } catch {
      // The recording dies with the session anyway; what is stored is untouched either way.
    }
    this.#close(false);
  };

  #close(isStored: boolean): void {
    emit(this, 'mb-calibration-close', { isStored });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-calibration': MbCalibration;
  }
}
