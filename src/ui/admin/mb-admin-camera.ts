import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { moodLook } from '../components/mb-mood-face.js';
import { capitalize, sentence } from '../components/words.js';
import type { AdminApi, CameraFace, CameraFaces, CameraState } from '../data/admin-api.js';
import { ApiError, type ApiClient } from '../data/api-client.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { LiveStateController } from './live-state-controller.js';
import { CAMERA_STYLES } from './mb-admin-camera.styles.js';

/** How often the preview and the faces are fetched while the page is open and visible (ms). */
const REFRESH_MS = 1000;

const CAMERA_TEXT: Record<CameraState['status'], string> = {
  on: 'on',
  starting: 'starting',
  off: 'off',
  unavailable: 'unavailable, retrying',
};

/** An emotion label as shown: the model's name, capitalised. */
const percent = (share: number): string => `${Math.round(share * 100)}%`;
/** A duration, kept on one line. */
const ms = (value: number): string => `${Math.round(value)}\u00a0ms`;

/**
 * The live camera view: the daemon's newest preview (the whole frame blurred, so that no one can
 * be recognised) with a box over each face it found, the face's track and emotion, and beside it
 * each face's emotion probabilities as bars. Preview and faces are fetched about once a second
 * while the page is open and the tab visible; the camera status and the room mood come from the
 * live link. With previews off, the boxes are drawn on an empty panel the size of the frame: the
 * preview is the only picture that ever leaves the camera. When the daemon has neither, the reason
 * it gives is shown instead.
 *
 * @summary Admin live camera view.
 */
@customElement('mb-admin-camera')
export class MbAdminCamera extends LitElement {
  static override styles = [ADMIN_STYLES, CAMERA_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) live: ApiClient | null = null;
  @state() private _url: string | null = null;
  @state() private _capturedAt: number | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  @state() private _faces: CameraFaces | null = null;
  @state() private _facesMessage = '';
  /** The settings in force that keep the picture away: the camera off, its live view off (empty: neither). */
  @state() private _off: ReadonlyArray<'camera' | 'preview'> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #isConnected = false;
  /** The camera's status and the room mood, live from the socket. */
  readonly #live = new LiveStateController(this, { client: () => this.live });

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#schedule(0);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.#isConnected = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#schedule(0);
    void this.#readSettings();
  }

  /** Whether the settings in force keep the camera or its live view off (the page then points at the switch in Settings). */
  async #readSettings(): Promise<void> {
    try {
      const { config } = await this.api.settings();
      const camera = config['camera'] as { enabled?: unknown } | undefined;
      const vision = config['vision'] as { preview?: unknown } | undefined;
      this._off = [
        ...(camera?.enabled === false ? (['camera'] as const) : []),
        ...(vision?.preview === false ? (['preview'] as const) : []),
      ];
    } catch {
      // Without the settings the daemon's own reason stays the message.
      this._off = [];
    }
  }

  /**
   * Why there is no picture: when a setting keeps it off, a link to that switch in Settings and
   * what to do; otherwise the daemon's reason.
   */
  #why() {
    if (this._url !== null || this._off.length === 0) return this._message;
    const link = (id: string, label: string) => html`<a href="#settings/${id}" data-setting-link=${id}>“${label}”</a>`;
    const isCameraOff = this._off.includes('camera');
    const isPreviewOff = this._off.includes('preview');
    return html`<span data-why=${this._off.join(' ')}
      >${isCameraOff && isPreviewOff ? 'The camera and its live view are off.' : isCameraOff ? 'The camera is off.' : 'The live view is off.'}
      Turn on
      ${isCameraOff ? link('camera.enabled', 'Use the camera') : nothing}${isCameraOff && isPreviewOff ? ' and ' : ''}${
        isPreviewOff ? link('vision.preview', 'Keep a blurred live view for this panel') : nothing
      }
      in Settings, save, then restart Moodbox (Settings offers the restart).</span
    >`;
  }

  override disconnectedCallback(): void {
    this.#isConnected = false;
    clearTimeout(this.#timer);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#setFrame(null, null);
    this._faces = null;
    super.disconnectedCallback();
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refresh(), ms);
  }

  /** One round at a time (the preview and the faces together): the next one is scheduled when this one has answered. */
  async #refresh(): Promise<void> {
    if (!this.#isConnected || document.visibilityState === 'hidden') return;
    const [preview, faces] = await Promise.allSettled([this.api.cameraPreview(), this.api.cameraFaces()]);
    if (!this.#isConnected) {
      if (preview.status === 'fulfilled') URL.revokeObjectURL(preview.value.url);
      return;
    }
    if (preview.status === 'fulfilled') {
      this.#setFrame(preview.value.url, preview.value.capturedAt);
      this._message = '';
      this._isError = false;
    } else {
      this.#setFrame(null, null);
      this._message = messageOf(preview.reason);
      // 404 is the daemon saying why there is no preview; anything else is a failure.
      this._isError = !isNotFound(preview.reason);
    }
    if (faces.status === 'fulfilled') {
      this._faces = faces.value;
      this._facesMessage = '';
    } else {
      this._faces = null;
      this._facesMessage = messageOf(faces.reason);
    }
    this.#schedule(REFRESH_MS);
  }

  #setFrame(url: string | null, capturedAt: number | null): void {
    if (this._url !== null) URL.revokeObjectURL(this._url);
    this._url = url;
    this._capturedAt = capturedAt;
  }

  #renderMood() {
    const snapshot = this.#live.state;
    const mood = snapshot?.mood ?? null;
    if (snapshot?.camera.status !== 'on' || mood === null || mood.current === null) return nothing;
    return html`<p data-mood=${mood.current}>
      Room: <strong>${moodLook(mood.current).label}</strong> (${Math.round(mood.confidence * 100)}%) · ${mood.faces}
      face${mood.faces === 1 ? '' : 's'}${mood.why ? html` · <span class="muted">${mood.why}</span>` : nothing}
    </p>`;
  }

  /** The boxes over the frame: drawn in the frame's pixels, so they scale with the picture (or the empty panel). */
  #renderBoxes(frame: CameraFaces) {
    const { width, height } = frame;
    const summary =
      frame.faces.length === 0
        ? 'No faces found'
        : `Faces found: ${frame.faces.map((f) => `#${f.trackId} ${capitalize(f.emotion)} ${percent(f.confidence)}`).join(', ')}`;
    return html`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label=${summary} data-boxes>
        ${frame.faces.map(({ box: [x, y, w, h] }) => [
          svg`<rect class="box-under" x=${x} y=${y} width=${w} height=${h} vector-effect="non-scaling-stroke" />`,
          svg`<rect class="box" x=${x} y=${y} width=${w} height=${h} vector-effect="non-scaling-stroke" />`,
        ])}
      </svg>
      ${frame.faces.map((face) => this.#renderTag(face, width, height))}`;
  }

  /** The track and emotion by a box: above it, or inside its top when the box touches the top of the frame. */
  #renderTag(face: CameraFace, width: number, height: number) {
    const [x, y, w] = face.box;
    const above = y / height >= 0.08;
    // A box near the right edge gets its tag aligned to its right side, so the tag stays in the frame.
    const horizontal = x / width > 0.6 ? `right: ${(100 * (1 - (x + w) / width)).toFixed(2)}%` : `left: ${((100 * x) / width).toFixed(2)}%`;
    const vertical = `top: ${((100 * y) / height).toFixed(2)}%;${above ? ' transform: translateY(-100%)' : ''}`;
    return html`<span class="tag" style="${horizontal}; ${vertical}" aria-hidden="true" data-tag=${face.trackId}
      >#${face.trackId} ${capitalize(face.emotion)} ${percent(face.confidence)}</span
    >`;
  }

  #renderBars() {
    const frame = this._faces;
    if (frame === null) {
      return html`<section class="faces" aria-labelledby="faces-h">
        <h3 id="faces-h">Faces</h3>
        <p class="muted" role="status">${this._facesMessage || 'Waiting for the face analysis…'}</p>
      </section>`;
    }
    return html`<section class="faces" aria-labelledby="faces-h">
      <h3 id="faces-h">Faces (${frame.faces.length})</h3>
      ${
        frame.faces.length === 0
          ? html`<p class="muted" data-state="no-faces">No one in view.</p>`
          : frame.faces.map(
              (face) =>
                html`<table class="probs" data-face=${face.trackId}>
                  <caption>
                    Face #${face.trackId}:
                    <strong>${capitalize(face.emotion)}</strong>
                    ${percent(face.confidence)}
                  </caption>
                  <tbody>
                    ${Object.entries(face.probabilities).map(
                      ([label, share]) =>
                        html`<tr ?data-top=${label === face.emotion} data-emotion=${label}>
                          <th scope="row">${capitalize(label)}</th>
                          <td>
                            <div class="track" aria-hidden="true">
                              <span class="bar" style="width: ${(share * 100).toFixed(1)}%"></span>
                            </div>
                          </td>
                          <td class="num">${percent(share)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`,
            )
      }
      <p class="muted">
        Analysed at ${new Date(frame.at).toLocaleTimeString()} in ${ms(frame.timing.totalMs)} (finding faces ${ms(frame.timing.detectMs)},
        reading emotions ${ms(frame.timing.classifyMs)}).
      </p>
      ${this.#renderSizes(frame.sizes)} ${this.#renderLight(frame.light)}
    </section>`;
  }

  /**
   * The room's light over the last hour, as the faces in view showed it: a strip of its 60 minutes
   * (readable, too dark, or no one in view), the counts in words, and what helps (docs/light.md).
   */
  #renderLight(light: CameraFaces['light']) {
    if (light === undefined) return nothing;
    if (light.minutes === 0) {
      return html`<p class="muted" data-light="none">
        No face seen in the last hour: how well the room is lit for reading faces shows once people are in view.
      </p>`;
    }
    const byAgo = new Map(light.byMinute.map((m) => [m.minutesAgo, m.dark]));
    const cells = Array.from({ length: 60 }, (_, i) => byAgo.get(59 - i));
    const now = light.tooDarkNow ? 'too dark to read expressions now; the room mood holds meanwhile' : 'readable now';
    const minutes = (n: number): string => `${n} minute${n === 1 ? '' : 's'}`;
    return html`<div class="light" data-light=${light.tooDarkNow ? 'dark' : light.darkMinutes > 0 ? 'dimmed' : 'fine'}>
      <p>
        <strong>Light on the faces:</strong> ${now}. Faces were in view for ${minutes(light.minutes)} of the last
        hour${light.darkMinutes === 0 ? ', and readable throughout.' : html`, too dark to read for ${minutes(light.darkMinutes)} of them.`}
      </p>
      <div class="hour" aria-hidden="true" title="The last hour, a minute a bar: green readable, dark too dark, grey no one in view">
        ${cells.map((dark) => html`<span class=${dark === undefined ? '' : dark ? 'dark' : 'lit'}></span>`)}
      </div>
      ${light.advice === null ? nothing : html`<p class="advice" role="note">${sentence(light.advice)}</p>`}
    </div>`;
  }

  /** How large faces appear in this room, and what to change when they are small (docs/face-detector.md). */
  #renderSizes(sizes: CameraFaces['sizes']) {
    if (sizes === undefined) {
      return html`<p class="muted" data-sizes="none">
        No face seen in the last minutes: how large faces appear shows once people are in view.
      </p>`;
    }
    const range = sizes.smallestPx === sizes.largestPx ? `${sizes.medianPx} px` : `${sizes.smallestPx}–${sizes.largestPx} px`;
    return html`<div class="sizes" data-sizes=${sizes.advice === null ? 'fine' : 'small'}>
      <p>
        <strong>How large faces appear:</strong> ${range} wide, most about ${sizes.medianPx} px, over the last
        ${sizes.minutes === 1 ? 'minute' : `${sizes.minutes} minutes`} (${sizes.frameWidth}x${sizes.frameHeight} camera).
        ${sizes.advice === null ? 'Large enough to read expressions well.' : nothing}
      </p>
      ${sizes.advice === null ? nothing : html`<p class="advice" role="note">${sentence(sizes.advice)}</p>`}
    </div>`;
  }

  #renderView() {
    const frame = this._faces;
    if (this._url === null && frame === null) {
      return html`<p class="card ${this._isError ? 'error' : ''}" role="status" data-state="no-preview">
        ${this._message ? this.#why() : 'Loading the live view…'}
      </p>`;
    }
    const taken = this._capturedAt === null ? '' : new Date(this._capturedAt).toLocaleTimeString();
    const boxes = frame === null ? nothing : this.#renderBoxes(frame);
    return html`<div class="live">
      ${
        this._url !== null
          ? html`<figure data-state="preview">
              <div class="frame">
                <img src=${this._url} alt="Live camera view, blurred${taken ? `, taken at ${taken}` : ''}" />
                ${boxes}
              </div>
              <figcaption class="muted">
                The picture is blurred on the box so that no one can be recognised: it is the only image that leaves the camera. The boxes
                and bars are the face analysis, numbers only. Nothing is recorded. ${taken ? `Taken at ${taken}.` : ''}
              </figcaption>
            </figure>`
          : html`<figure data-state="faces-only">
              <div class="frame" style="aspect-ratio: ${frame?.width ?? 4} / ${frame?.height ?? 3}">
                <span class="blank" aria-hidden="true">No picture: face boxes only</span>
                ${boxes}
              </div>
              <figcaption class="muted">
                <span class=${this._isError ? 'error' : ''}>${this.#why()}</span>
                Only the face boxes are drawn. The picture, when the live view is on, is the only image that leaves the camera, and it is
                always blurred. Nothing is recorded.
              </figcaption>
            </figure>`
      }
      ${this.#renderBars()}
    </div>`;
  }

  override render() {
    const camera = this.#live.state?.camera ?? null;
    return html`<h2>Camera</h2>
      <p>
        Camera: <strong data-camera=${camera?.status ?? 'unknown'}>${camera === null ? 'unknown' : CAMERA_TEXT[camera.status]}</strong>${
          camera?.detail ? html` · <span class="muted">${camera.detail}</span>` : nothing
        }
      </p>
      ${this.#renderMood()} ${this.#renderView()}`;
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-camera': MbAdminCamera;
  }
}
