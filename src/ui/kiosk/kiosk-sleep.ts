import { css, html } from 'lit';
import type { StateSnapshot } from '../../daemon/http/contract.js';
import { t } from './kiosk-i18n.js';

/**
 * The dark screen of the quiet hours (`player.quietHours`), over everything while nobody is signed
 * in: nothing lit but the camera's status in a dim corner (it is shown at all times). A touch
 * anywhere wakes the kiosk for a minute, and is not taken for a tap on what lies under it.
 */
export function renderSleep(s: StateSnapshot, wake: () => void) {
  return html`<button class="sleep" data-sleep aria-label=${t('kiosk.sleep.wakeLabel')} @click=${wake}>
    <span class="camera-note">${t(`kiosk.camera.${s.camera.status}`)}</span>
  </button>`;
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
