import { LitElement, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { moodLook } from '../components/mb-mood-face.js';
import { capitalize, sentence } from '../components/words.js';
import type { AdminApi, CameraFace, CameraFaces, CameraState } from '../data/admin-api.js';
import { ApiError, type ApiClient } from '../data/api-client.js';
import { followLanguage } from '../i18n/i18n.js';
import { formatDate, formatNumber, i18n, moodName, t, tWith, type AdminKey } from './admin-i18n.js';
import { STAFF_EMOTIONS, type StaffEmotion } from './admin-moods.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';
import { LiveStateController } from './live-state-controller.js';
import { CAMERA_STYLES } from './mb-admin-camera.styles.js';

/** How often the preview and the faces are fetched while the page is open and visible (ms). */
const REFRESH_MS = 1000;

const CAMERA_TEXT: Record<CameraState['status'], AdminKey> = {
  on: 'admin.camera.status.on',
  starting: 'admin.camera.status.starting',
  off: 'admin.camera.status.off',
  unavailable: 'admin.camera.status.unavailable',
};

/** The emotions the model names (`admin.camera.emotion.<label>`). */
const EMOTIONS: ReadonlySet<string> = new Set<StaffEmotion>(STAFF_EMOTIONS);

/** An emotion label as shown: the model's name in the reader's language; one this page does not know, capitalised. */
const emotionName = (label: string): string => (EMOTIONS.has(label) ? t(`admin.camera.emotion.${label}` as AdminKey) : capitalize(label));
/** A share as a whole percentage, in the reader's way of writing it. */
const percent = (share: number): string => formatNumber(Math.round(share * 100) / 100, { style: 'percent' });
/** A duration, kept on one line. */
const ms = (value: number): string => t('admin.camera.ms', { ms: Math.round(value) });
/** A time of day with seconds, in the reader's language. */
const clock = (at: number): string => formatDate(at, { timeStyle: 'medium' });

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

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

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
    const link = (id: string, label: string) =>
      html`<a href="#settings/${id}" data-setting-link=${id}>${t('admin.camera.settingQuoted', { setting: label })}</a>`;
    const isCameraOff = this._off.includes('camera');
    const isPreviewOff = this._off.includes('preview');
    const camera = link('camera.enabled', t('admin.camera.useCamera'));
    const preview = link('vision.preview', t('admin.camera.keepPreview'));
    return html`<span data-why=${this._off.join(' ')}
      >${
        isCameraOff && isPreviewOff
          ? tWith('admin.camera.bothOff', { camera, preview })
          : isCameraOff
            ? tWith('admin.camera.cameraOff', { camera })
            : tWith('admin.camera.previewOff', { preview })
      }</span
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
      ${tWith(
        'admin.camera.room',
        {
          mood: html`<strong>${moodName(mood.current, moodLook(mood.current).label)}</strong>`,
        },
        { confidence: Math.round(mood.confidence * 100) / 100, faces: mood.faces },
      )}${mood.why ? html` · <span class="muted">${i18n.said(mood.whySaid, mood.why)}</span>` : nothing}
    </p>`;
  }

  /** The boxes over the frame: drawn in the frame's pixels, so they scale with the picture (or the empty panel). */
  #renderBoxes(frame: CameraFaces) {
    const { width, height } = frame;
    const summary =
      frame.faces.length === 0
        ? t('admin.camera.noFacesFound')
        : t('admin.camera.facesFound', {
            faces: frame.faces
              .map((f) => t('admin.camera.faceTag', { track: f.trackId, emotion: emotionName(f.emotion), share: percent(f.confidence) }))
              .join(', '),
          });
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
      >${t('admin.camera.faceTag', { track: face.trackId, emotion: emotionName(face.emotion), share: percent(face.confidence) })}</span
    >`;
  }

  #renderBars() {
    const frame = this._faces;
    if (frame === null) {
      return html`<section class="faces" aria-labelledby="faces-h">
        <h3 id="faces-h">${t('admin.camera.faces')}</h3>
        <p class="muted" role="status">${this._facesMessage || t('admin.camera.waitingFaces')}</p>
      </section>`;
    }
    return html`<section class="faces" aria-labelledby="faces-h">
      <h3 id="faces-h">${t('admin.camera.facesCount', { count: frame.faces.length })}</h3>
      ${
        frame.faces.length === 0
          ? html`<p class="muted" data-state="no-faces">${t('admin.camera.noOne')}</p>`
          : frame.faces.map(
              (face) =>
                html`<table class="probs" data-face=${face.trackId}>
                  <caption>
                    ${tWith(
                      'admin.camera.faceCaption',
                      { emotion: html`<strong>${emotionName(face.emotion)}</strong>` },
                      {
                        track: face.trackId,
                        share: percent(face.confidence),
                      },
                    )}
                  </caption>
                  <tbody>
                    ${Object.entries(face.probabilities).map(
                      ([label, share]) =>
                        html`<tr ?data-top=${label === face.emotion} data-emotion=${label}>
                          <th scope="row">${emotionName(label)}</th>
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
        ${t('admin.camera.analysed', {
          at: clock(frame.at),
          total: ms(frame.timing.totalMs),
          detect: ms(frame.timing.detectMs),
          classify: ms(frame.timing.classifyMs),
        })}
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
      return html`<p class="muted" data-light="none">${t('admin.camera.lightNone')}</p>`;
    }
    const byAgo = new Map(light.byMinute.map((m) => [m.minutesAgo, m.dark]));
    const cells = Array.from({ length: 60 }, (_, i) => byAgo.get(59 - i));
    const lightTitle = html`<strong>${t('admin.camera.lightTitle')}</strong>`;
    return html`<div class="light" data-light=${light.tooDarkNow ? 'dark' : light.darkMinutes > 0 ? 'dimmed' : 'fine'}>
      <p>
        ${tWith('admin.camera.light', { title: lightTitle }, { isDark: String(light.tooDarkNow), minutes: light.minutes, dark: light.darkMinutes })}
      </p>
      <div class="hour" aria-hidden="true" title=${t('admin.camera.hourTitle')}>
        ${cells.map((dark) => html`<span class=${dark === undefined ? '' : dark ? 'dark' : 'lit'}></span>`)}
      </div>
      ${light.advice === null ? nothing : html`<p class="advice" role="note">${sentence(light.advice)}</p>`}
    </div>`;
  }

  /** How large faces appear in this room, and what to change when they are small (docs/face-detector.md). */
  #renderSizes(sizes: CameraFaces['sizes']) {
    if (sizes === undefined) {
      return html`<p class="muted" data-sizes="none">${t('admin.camera.sizesNone')}</p>`;
    }
    const range =
      sizes.smallestPx === sizes.largestPx
        ? t('admin.camera.px', { px: sizes.medianPx })
        : t('admin.camera.pxRange', { from: sizes.smallestPx, to: sizes.largestPx });
    return html`<div class="sizes" data-sizes=${sizes.advice === null ? 'fine' : 'small'}>
      <p>
        ${tWith(
          'admin.camera.sizes',
          { title: html`<strong>${t('admin.camera.sizesTitle')}</strong>` },
          {
            range,
            median: sizes.medianPx,
            minutes: sizes.minutes,
            camera: `${sizes.frameWidth}x${sizes.frameHeight}`,
          },
        )}
        ${sizes.advice === null ? t('admin.camera.sizesFine') : nothing}
      </p>
      ${sizes.advice === null ? nothing : html`<p class="advice" role="note">${sentence(sizes.advice)}</p>`}
    </div>`;
  }

  #renderView() {
    const frame = this._faces;
    if (this._url === null && frame === null) {
      return html`<p class="card ${this._isError ? 'error' : ''}" role="status" data-state="no-preview">
        ${this._message ? this.#why() : t('admin.camera.loading')}
      </p>`;
    }
    const taken = this._capturedAt === null ? '' : clock(this._capturedAt);
    const boxes = frame === null ? nothing : this.#renderBoxes(frame);
    return html`<div class="live">
      ${
        this._url !== null
          ? html`<figure data-state="preview">
              <div class="frame">
                <img src=${this._url} alt=${taken ? t('admin.camera.previewAltAt', { at: taken }) : t('admin.camera.previewAlt')} />
                ${boxes}
              </div>
              <figcaption class="muted">
                ${t('admin.camera.previewCaption')} ${taken ? t('admin.camera.takenAt', { at: taken }) : ''}
              </figcaption>
            </figure>`
          : html`<figure data-state="faces-only">
              <div class="frame" style="aspect-ratio: ${frame?.width ?? 4} / ${frame?.height ?? 3}">
                <span class="blank" aria-hidden="true">${t('admin.camera.noPicture')}</span>
                ${boxes}
              </div>
              <figcaption class="muted">
                <span class=${this._isError ? 'error' : ''}>${this.#why()}</span>
                ${t('admin.camera.boxesCaption')}
              </figcaption>
            </figure>`
      }
      ${this.#renderBars()}
    </div>`;
  }

  override render() {
    const camera = this.#live.state?.camera ?? null;
    const status = html`<strong data-camera=${camera?.status ?? 'unknown'}
      >${camera === null ? t('admin.camera.status.unknown') : t(CAMERA_TEXT[camera.status])}</strong
    >`;
    return html`<h2>${t('admin.camera.title')}</h2>
      <p>
        ${tWith('admin.camera.camera', { status })}${camera?.detail ? html` · <span class="muted">${i18n.said(camera.said, camera.detail)}</span>` : nothing}
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
