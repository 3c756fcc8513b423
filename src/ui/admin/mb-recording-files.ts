import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, AdminTrack, RecordingFile } from '../data/admin-api.js';
import { followLanguage } from '../i18n/i18n.js';
import { i18n, t } from './admin-i18n.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

/** "FLAC", "MP3 · 320 kbit/s": a file's format and bit rate in the words a shop's receipt would use. */
function quality(file: RecordingFile): string {
  return file.lossless || file.kbps === null ? file.format : t('admin.recordings.quality', { format: file.format, kbps: file.kbps });
}

/**
 * A song's files when the library holds its recording more than once (an album copied into two
 * folders, an MP3 beside its FLAC, a re-rip): "3 files", which opens the list with the folder,
 * format and bit rate of each, which one plays, and "Play this one" on the others. The song counts
 * once everywhere; the owner only picks which file plays. Fires `change` with the song as it is
 * after a pick.
 *
 * @summary The files of one song, and which plays.
 */
@customElement('mb-recording-files')
export class MbRecordingFiles extends LitElement {
  static override styles = [
    ADMIN_STYLES,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0.25rem 0 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.75rem;
        padding-block: 0.25rem;
      }
      .path {
        overflow-wrap: anywhere;
        flex: 1 1 12rem;
      }
    `,
  ];

  @property({ attribute: false }) api!: AdminApi;
  @property({ attribute: false }) track!: AdminTrack;
  @state() private _files: RecordingFile[] | null = null;
  @state() private _isOpen = false;
  @state() private _error = '';

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override render() {
    if (this.track.files < 2) return nothing;
    return html`<button class="secondary" aria-expanded=${this._isOpen ? 'true' : 'false'} @click=${() => void this.#toggle()}>
        ${t('admin.recordings.files', { count: this.track.files })}
      </button>
      ${this._isOpen ? this.#renderFiles() : nothing}`;
  }

  #renderFiles() {
    if (this._error !== '') return html`<p class="error" role="alert">${this._error}</p>`;
    if (this._files === null) return html`<p class="muted">${t('admin.recordings.loading')}</p>`;
    return html`<ul aria-label=${t('admin.recordings.listLabel', { title: this.track.title })}>
      ${this._files.map(
        (f) =>
          html`<li data-file-id=${f.id}>
            <span class="path">${f.uri}</span>
            <span class="muted">${quality(f)}</span>
            ${
              f.playing
                ? html`<strong>${t('admin.recordings.plays')}</strong>`
                : html`<button
                    class="secondary"
                    aria-label=${t('admin.recordings.playThisLabel', { file: f.uri, title: this.track.title })}
                    @click=${() => void this.#pick(f)}
                  >
                    ${t('admin.recordings.playThis')}
                  </button>`
            }
          </li>`,
      )}
    </ul>`;
  }

  async #toggle(): Promise<void> {
    this._isOpen = !this._isOpen;
    if (this._isOpen) await this.#load();
  }

  async #load(): Promise<void> {
    this._error = '';
    try {
      this._files = await this.api.recordingFiles(this.track.id);
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  async #pick(file: RecordingFile): Promise<void> {
    this._error = '';
    try {
      const song = await this.api.playRecordingFile(file.id);
      this.dispatchEvent(new CustomEvent('change', { detail: song }));
      this._isOpen = false;
      this._files = null;
    } catch (err) {
      this._error = messageOf(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-recording-files': MbRecordingFiles;
  }
}
