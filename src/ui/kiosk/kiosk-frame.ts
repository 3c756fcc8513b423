import { html, nothing, svg, type TemplateResult } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { t } from './kiosk-i18n.js';

/*
 * The kiosk's frame, shown at all times (over the sign-in panel too): the header with the camera
 * indicator, who is signed in and the sign-in or sign-out button, and the footer with the privacy
 * notice and the message of the moment above it.
 */

const ICON_CAMERA = svg`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M3 8h3.5l1.5-2.5h8L17.5 8H21v11H3z"/><circle cx="12" cy="13.5" r="3.5"/></svg>`;

/** What the header shows besides the daemon's state, and what its buttons do. */
export interface HeaderView {
  /** Whether the link to the daemon is up: offline, nobody can sign in and the camera's status is unknown. */
  isOnline: boolean;
  /** The guest page's QR code in the header's corner, or nothing. */
  qr: TemplateResult | typeof nothing;
  onMe: () => void;
  onSignIn: () => void;
  onSignOut: () => Promise<void>;
}

/** The header: Moodbox, the camera indicator, then the signed-in person's My music and Sign out, or Sign in. */
export function renderHeader(s: StateSnapshot | null, { isOnline, qr, onMe, onSignIn, onSignOut }: HeaderView) {
  const user = s?.session.user ?? null;
  return html`<header>
    <h1 class="brand">${t('kiosk.brand')}${s?.demo ? html` <small>· ${t('kiosk.demo')}</small>` : nothing}</h1>
    ${renderCamera(s, isOnline)}
    ${
      user
        ? html`<button
              class="who"
              data-action="me"
              aria-label=${t('kiosk.whoLabel', { name: user.name, myMusic: t('kiosk.myMusic') })}
              @click=${onMe}
            >
              ${user.name}<span class="me">· ${t('kiosk.myMusic')}</span>
            </button>
            <button class="pill" data-action="sign-out" @click=${onSignOut}>${t('kiosk.signOut')}</button>`
        : html`<button class="pill" data-action="sign-in" ?disabled=${!isOnline} @click=${onSignIn}>${t('kiosk.signIn')}</button>`
    }
    ${qr}
  </header>`;
}

/** The footer: the privacy notice, and `toast`, the message of the moment, just above it. */
export function renderFooter(toast: TemplateResult | typeof nothing) {
  return html`<footer>
    ${toast}
    <span class="privacy">${ICON_CAMERA}${t('kiosk.privacy')}</span>
  </footer>`;
}

function renderCamera(s: StateSnapshot | null, isOnline: boolean) {
  // Offline, the kiosk does not know what the camera does: it says so rather than show a stale "Camera on".
  if (!isOnline) {
    return html`<span class="camera" data-status="offline" role="status"
      ><span class="dot" aria-hidden="true"></span>${t('kiosk.camera.unknown')}</span
    >`;
  }
  const camera = s?.camera.status ?? 'off';
  // The demo clip is a recording: never "Camera on", as if it saw the room.
  const words = camera === 'on' && s?.camera.clip === true ? t('kiosk.camera.clip') : t(`kiosk.camera.${camera}`);
  return html`<span class="camera" data-status=${camera} role="status"><span class="dot" aria-hidden="true"></span>${words}</span>`;
}
