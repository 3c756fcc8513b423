import type { ScreenPower } from '../../ops/screen-power.js';
import type { ClientRequests } from '../contract.js';
import type { WsHandlers } from '../ws.js';

/**
 * `screen/sleep` on `/ws`: the kiosk screen on the box says when it goes dark for the quiet hours and
 * when a touch wakes it, and the display's backlight follows (`ScreenPower`). A screen elsewhere (a
 * tablet on the LAN) sleeps on its own; it changes nothing here.
 */
export function screenRequests({ screen }: { screen: ScreenPower | undefined }): WsHandlers<Pick<ClientRequests, 'screen/sleep'>> {
  return {
    'screen/sleep': async ({ isAsleep }, context) => {
      if (screen === undefined || !context.isKioskScreen) return { isScreenOn: screen?.isOn ?? true, isApplied: false };
      return { isScreenOn: screen.report(context.connection.id, isAsleep), isApplied: true };
    },
  };
}
