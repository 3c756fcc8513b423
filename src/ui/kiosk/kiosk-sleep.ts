import { css, html } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import type { KioskApi } from '../data/kiosk-api.js';
import { t } from './kiosk-i18n.js';

/**
 * The dark screen of the quiet hours (`player.quietHours`), over everything while nobody is signed
 * in: nothing lit but the camera's status in a dim corner (it is shown at all times). A touch
 * anywhere wakes the kiosk for a minute, and is not taken for a tap on what lies under it.
 */
export function renderSleep(s: StateSnapshot, wake: () => void) {
  return html`<button class="sleep" data-sleep aria-label=${t('kiosk.sleep.wakeLabel')} @click=${wake}>
    <span class="camera-note"
      >${s.camera.status === 'on' && s.camera.clip === true ? t('kiosk.camera.clip') : t(`kiosk.camera.${s.camera.status}`)}</span
    >
  </button>`;
}

/**
 * Tells the daemon when the kiosk goes dark and when it wakes (`screen/sleep`), so that the box's
 * display turns its backlight off with it. Said again after each reconnect: the daemon forgets a
 * screen whose connection ended, and takes it for awake.
 */
export class SleepReport {
  readonly #api: () => KioskApi | null;
  /** What the daemon was last told on this connection; null: nothing yet. */
  #said: boolean | null = null;

  constructor(api: () => KioskApi | null) {
    this.#api = api;
  }

  /** Called after each render with whether the dark screen shows. */
  follow(isAsleep: boolean, isOnline: boolean): void {
    if (!isOnline) {
      this.#said = null;
      return;
    }
    const api = this.#api();
    if (api === null || this.#said === isAsleep) return;
    this.#said = isAsleep;
    // A link that goes down meanwhile is noticed above, and the state said again once it is back;
    // a refusal is not asked again (the daemon's log says why).
    api.screenSleep(isAsleep).catch(() => undefined);
  }
}

export const KIOSK_SLEEP_STYLES = css`
  .sleep {
    position: fixed;
    inset: 0;
    z-index: 50;
    display: flex;
    align-items: flex-end;
    justify-content: flex-end;
    padding: 1em;
    border: none;
    background: #000;
    color: #4b5058;
    font: inherit;
    font-size: 0.8em;
    cursor: none;
  }
`;
