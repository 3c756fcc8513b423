import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, SpotifyDevice, SpotifyPlaylist, SpotifyStatus } from '../../data/admin-api.js';
import { followLanguage } from '../../i18n/i18n.js';
import { i18n, t, tWith } from '../admin-i18n.js';
import { ADMIN_STYLES, field, messageOf } from '../admin-styles.js';
import { SPOTIFY_STYLES } from './mb-admin-spotify.styles.js';
import { renderDevices } from './spotify-devices-view.js';
import { SOURCES, siteOf, stateOf } from './spotify-model.js';
import { renderPlaylists } from './spotify-playlists-view.js';
import { renderOff, stateLine } from './spotify-status-view.js';

/** What a `music.source` plays, in the owner's words; one this page does not know, by its name. */
function sourceWords(source: string): string {
  const key = SOURCES[source];
  return key === undefined ? source : t(key);
}

/** How often the status is read again while the page is open, so a fallback and a recovery show (ms). */
const STATUS_POLL_MS = 5000;

/** Where a message belongs: the account, the device list, the playlists, or the page (loading). */
type Where = 'account' | 'device' | 'playlists' | null;

/** A sign-in begun here whose redirect cannot come back to this page: the address to paste. */
interface PendingSignIn {
  url: string;
  redirect: string;
}

/**
 * Spotify at home: connect an account (PKCE: Spotify's page, then back to the box's callback, or
 * the landing address pasted here when the panel is not opened on the box), its name and Premium
 * status, disconnect; the Connect device, remembered by name; the account's playlists mapped to
 * moods; and whether Spotify plays, the library plays instead (and why), or Spotify came back. A
 * business box says why it plays no Spotify.
 *
 * @summary Admin Spotify page.
 */
@customElement('mb-admin-spotify')
export class MbAdminSpotify extends LitElement {
  static override styles = [ADMIN_STYLES, SPOTIFY_STYLES];

  @property({ attribute: false }) api!: AdminApi;
  @state() private _status: SpotifyStatus | null = null;
  /** `site.kind`, `spotify.redirectUri` and `server.port` of the configuration in force. */
  @state() private _site: { kind: string; redirect: string } | null = null;
  @state() private _devices: SpotifyDevice[] | null = null;
  @state() private _playlists: SpotifyPlaylist[] | null = null;
  /** Playlist id → the mood picked here and not saved yet ('' unmaps). */
  @state() private _drafts: Record<string, string> = {};
  @state() private _pending: PendingSignIn | null = null;
  @state() private _message = '';
  @state() private _isError = false;
  @state() private _where: Where = null;
  @state() private _busy: 'connect' | 'complete' | 'disconnect' | 'device' | 'save' | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #isConnected = false;

  constructor() {
    super();
    // Renders again in a new language.
    followLanguage(this, i18n);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#isConnected = true;
    void this.#load();
  }

  override disconnectedCallback(): void {
    this.#isConnected = false;
    clearTimeout(this.#timer);
    super.disconnectedCallback();
  }

  async #load(): Promise<void> {
    try {
      const [status, settings] = await Promise.all([this.api.spotify(), this.api.settings()]);
      this._site = siteOf(settings.config);
      this.#setStatus(status);
    } catch (err) {
      this.#say(null, messageOf(err), true);
    }
  }

  #setStatus(status: SpotifyStatus): void {
    const wasConnected = this._status?.isConnected === true;
    this._status = status;
    if (!status.isConnected) {
      this._devices = null;
      this._playlists = null;
      this._drafts = {};
    } else if (!wasConnected) {
      this._pending = null;
      void this.#loadDevices();
      void this.#loadPlaylists();
    }
    clearTimeout(this.#timer);
    if (this.#isConnected && status.isConnected) this.#timer = setTimeout(() => void this.#poll(), STATUS_POLL_MS);
  }

  /** Reads the status again: the library may play instead of Spotify, or Spotify may be back. */
  async #poll(): Promise<void> {
    if (!this.#isConnected) return;
    try {
      this.#setStatus(await this.api.spotify());
    } catch {
      // The daemon may be restarting; the next read tells.
      this.#timer = setTimeout(() => void this.#poll(), STATUS_POLL_MS);
    }
  }

  async #loadDevices(): Promise<void> {
    try {
      this._devices = await this.api.spotifyDevices();
    } catch (err) {
      this._devices = [];
      this.#say('device', t('admin.spotify.devicesFailed', { error: messageOf(err) }), true);
    }
  }

  async #loadPlaylists(): Promise<void> {
    try {
      this._playlists = await this.api.spotifyPlaylists();
      this._drafts = {};
    } catch (err) {
      this._playlists = [];
      this.#say('playlists', t('admin.spotify.playlistsFailed', { error: messageOf(err) }), true);
    }
  }

  override render() {
    const s = this._status;
    if (s === null) {
      return html`<h2>${t('admin.spotify.title')}</h2>
        ${this._where === null && this._message ? this.#messages(null) : html`<p role="status">${t('admin.spotify.loading')}</p>`}`;
    }
    if (!s.isAvailable)
      return html`<h2>${t('admin.spotify.title')}</h2>
        ${renderOff(s, this._site)}`;
    return html`<h2>${t('admin.spotify.title')}</h2>
      ${this.#messages(null)} ${this.#renderAccount(s)}
      ${s.isConnected ? html`${this.#renderDevices(s)} ${this.#renderPlaylists(s)}` : nothing}`;
  }

  #renderAccount(s: SpotifyStatus) {
    if (!s.isConnected) {
      return html`<section class="card" aria-labelledby="account-h" data-account="none">
        <h3 id="account-h">${t('admin.spotify.account')}</h3>
        <p>${t('admin.spotify.noAccount')}</p>
        ${this.#messages('account')}
        <div class="row">
          <button ?disabled=${this._busy !== null} @click=${this.#connect}>
            ${this._busy === 'connect' ? t('admin.spotify.opening') : t('admin.spotify.connect')}
          </button>
        </div>
        ${this._pending === null ? nothing : this.#renderPaste(this._pending)}
      </section>`;
    }
    return html`<section class="card" aria-labelledby="account-h" data-account=${s.account ?? ''}>
      <h3 id="account-h">${t('admin.spotify.account')}</h3>
      <dl>
        <dt>${t('admin.spotify.connectedAs')}</dt>
        <dd data-account-name>${s.account ?? t('admin.spotify.unnamedAccount')}</dd>
        <dt>${t('admin.spotify.subscription')}</dt>
        <dd data-premium=${s.isPremium === null ? 'unknown' : String(s.isPremium)}>
          ${
            s.isPremium === null
              ? t('admin.spotify.premiumUnknown')
              : s.isPremium
                ? t('admin.spotify.premium')
                : html`<span class="error">${t('admin.spotify.free')}</span>`
          }
        </dd>
        <dt>${t('admin.spotify.musicFrom')}</dt>
        <dd data-source=${s.source}>
          ${sourceWords(s.source)}
          <span class="muted"
            >${tWith('admin.spotify.changeIt', { settings: html`<a href="#settings">${t('admin.spotify.settingsPage')}</a>` })}</span
          >
        </dd>
      </dl>
      <p class="state" data-state=${stateOf(s)} aria-live="polite">${stateLine(s, this._playlists)}</p>
      ${this.#messages('account')}
      <div class="row">
        <button class="danger" ?disabled=${this._busy !== null} @click=${this.#disconnect}>
          ${this._busy === 'disconnect' ? t('admin.spotify.disconnecting') : t('admin.spotify.disconnect')}
        </button>
      </div>
      <p class="muted">${t('admin.spotify.disconnectHelp')}</p>
    </section>`;
  }

  #renderPaste(p: PendingSignIn) {
    return html`<form class="paste" aria-label=${t('admin.spotify.finishFormLabel')} @submit=${this.#complete}>
      <p>
        ${tWith('admin.spotify.pasteHelp', {
          again: html`<a href=${p.url} target="_blank" rel="noopener">${t('admin.spotify.openAgain')}</a>`,
          address: html`<code>${p.redirect}</code>`,
        })}
      </p>
      <div class="row">
        <label
          >${t('admin.spotify.pasteLabel')} <input name="url" type="url" required autocomplete="off" placeholder=${`${p.redirect}?code=…`}
        /></label>
        <button type="submit" ?disabled=${this._busy !== null}>
          ${this._busy === 'complete' ? t('admin.spotify.connecting') : t('admin.spotify.finish')}
        </button>
      </div>
    </form>`;
  }

  #renderDevices(s: SpotifyStatus) {
    return renderDevices({
      status: s,
      devices: this._devices,
      isChoosing: this._busy === 'device',
      messages: this.#messages('device'),
      onChoose: this.#chooseDevice,
      onRefresh: this.#refreshDevices,
    });
  }

  #renderPlaylists(s: SpotifyStatus) {
    return renderPlaylists({
      status: s,
      playlists: this._playlists,
      drafts: this._drafts,
      isBusy: this._busy !== null,
      isSaving: this._busy === 'save',
      messages: this.#messages('playlists'),
      onSave: this.#save,
      onDraft: this.#draft,
      onDiscard: this.#discard,
    });
  }

  #messages(where: Where) {
    if (this._message === '' || this._where !== where) return nothing;
    return this._isError
      ? html`<p class="error" role="alert">${this._message}</p>`
      : html`<p class="ok" role="status">${this._message}</p>`;
  }

  #say(where: Where, message: string, isError = false): void {
    this._where = where;
    this._message = message;
    this._isError = isError;
  }

  readonly #connect = async (): Promise<void> => {
    this._busy = 'connect';
    this.#say('account', '');
    try {
      const { url } = await this.api.connectSpotify();
      const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
      if (redirect !== '' && new URL(redirect).origin === window.location.origin) {
        // Spotify comes back to this very panel: the whole sign-in happens in this tab.
        window.location.assign(url);
        return;
      }
      this._pending = { url, redirect };
      window.open(url, '_blank', 'noopener');
    } catch (err) {
      this.#say('account', messageOf(err), true);
    } finally {
      this._busy = null;
    }
  };

  readonly #complete = async (event: Event): Promise<void> => {
    event.preventDefault();
    const url = field(new FormData(event.target as HTMLFormElement), 'url').trim();
    this._busy = 'complete';
    try {
      const status = await this.api.completeSpotify(url);
      this._pending = null;
      this.#setStatus(status);
      this.#say(
        'account',
        status.account === null ? t('admin.spotify.connectedYours') : t('admin.spotify.connectedAsName', { account: status.account }),
      );
    } catch (err) {
      this.#say('account', messageOf(err), true);
    } finally {
      this._busy = null;
    }
  };

  readonly #disconnect = async (): Promise<void> => {
    this._busy = 'disconnect';
    try {
      this.#setStatus(await this.api.disconnectSpotify());
      this.#say('account', t('admin.spotify.disconnected'));
    } catch (err) {
      this.#say('account', messageOf(err), true);
    } finally {
      this._busy = null;
    }
  };

  readonly #chooseDevice = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const name = input.value === '' ? null : input.value;
    this._busy = 'device';
    try {
      this.#setStatus(await this.api.chooseSpotifyDevice(name));
      await this.#loadDevices();
      this.#say(
        'device',
        name === null
          ? this._status?.boxName === null || this._status?.boxName === undefined
            ? t('admin.spotify.savedAutoBox')
            : t('admin.spotify.savedAuto', { box: this._status.boxName })
          : t('admin.spotify.savedDevice', { device: name }),
      );
    } catch (err) {
      this.#say('device', messageOf(err), true);
    } finally {
      this._busy = null;
    }
  };

  readonly #refreshDevices = async (): Promise<void> => {
    this._devices = null;
    this.#say('device', '');
    await this.#loadDevices();
  };

  readonly #draft = (event: Event): void => {
    const select = event.target as HTMLSelectElement;
    const saved = this._playlists?.find((p) => p.id === select.name)?.mood ?? '';
    const others = Object.fromEntries(Object.entries(this._drafts).filter(([id]) => id !== select.name));
    this._drafts = select.value === saved ? others : { ...others, [select.name]: select.value };
    if (this._where === 'playlists') this.#say('playlists', '');
  };

  readonly #discard = (): void => {
    this._drafts = {};
    // The selects show the saved moods again.
    for (const select of this.renderRoot.querySelectorAll<HTMLSelectElement>('form select')) {
      select.value = this._playlists?.find((p) => p.id === select.name)?.mood ?? '';
    }
  };

  readonly #save = async (event: Event): Promise<void> => {
    event.preventDefault();
    const changes = Object.entries(this._drafts);
    this._busy = 'save';
    const saved: string[] = [];
    try {
      for (const [id, mood] of changes) {
        await this.api.mapSpotifyPlaylist(id, mood === '' ? null : mood);
        saved.push(id);
      }
      const names = saved.map((id) => this._playlists?.find((p) => p.id === id)?.name ?? id);
      await this.#loadPlaylists();
      this.#say('playlists', t('admin.spotify.savedPlaylists', { playlists: names.join(', ') }));
    } catch (err) {
      // What was saved stays saved; the rest stays as a change to save again.
      const rest = Object.fromEntries(changes.filter(([id]) => !saved.includes(id)));
      await this.#loadPlaylists();
      this._drafts = rest;
      this.#say('playlists', messageOf(err), true);
    } finally {
      this._busy = null;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-spotify': MbAdminSpotify;
  }
}

/**
 * The Spotify source's own page of the panel, at `#spotify` (its source's name), as
 * `source-pages.ts` lists it: the menu leaves it out where the daemon says a box of that kind may
 * not choose Spotify.
 */
export const SPOTIFY_PAGE = {
  view: 'spotify',
  title: (): string => t('admin.nav.spotify'),
  render: (api: AdminApi): TemplateResult => html`<mb-admin-spotify .api=${api}></mb-admin-spotify>`,
};
