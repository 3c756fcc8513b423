import type { ServerMessage, ServiceHealthView, StateArea, StateSnapshot } from './contract.js';
import { why, whySaid } from './state-projector.js';

/**
 * What a screen may see, by where it is (`docs/security.md`, "What each network position sees"):
 * - `all`: the kiosk on the box itself (a loopback address), and an admin signed in to the panel;
 * - `guest`: any other device, on the LAN (a phone on the guest Wi-Fi, the kiosk page opened on a
 *   tablet) or off it: what plays and the room's mood, but nobody's name, no count of the faces in
 *   view and how they look, no service's detail (it names the broker's address, files and devices)
 *   and no path of the music folders.
 */
export type StateView = 'all' | 'guest';

type AreaMessage = Extract<ServerMessage, { type: `${StateArea}/changed` }>;

/** One area of the state as a guest may see it. */
export function guestArea<A extends StateArea>(area: A, value: StateSnapshot[A]): StateSnapshot[A];
export function guestArea(area: StateArea, value: StateSnapshot[StateArea]): StateSnapshot[StateArea] {
  switch (area) {
    case 'camera': {
      const camera = value as StateSnapshot['camera'];
      return { status: camera.status, detail: null };
    }
    case 'mood': {
      // Neither how many faces there are nor how they look, nor whether the face in front is a signed-in person's.
      const mood = { ...(value as StateSnapshot['mood']), faces: 0 };
      delete mood.byEmotion;
      delete mood.isPersonal;
      return { ...mood, why: why(mood.current, 0), whySaid: whySaid(mood.current, 0) };
    }
    case 'session': {
      const session = value as StateSnapshot['session'];
      return { ...session, user: null, notice: null };
    }
    case 'services':
      return guestServices(value as StateSnapshot['services']);
    case 'library': {
      const library = value as StateSnapshot['library'];
      const { lastScan } = library;
      return { ...library, lastScan: lastScan === null ? null : { ...lastScan, failed: [], problems: [] } };
    }
    case 'language':
    case 'player':
    case 'suggestions':
    case 'guests':
    case 'dayPlan':
    case 'quietHours':
    case 'quietUntil':
      return value;
    default: {
      const never: never = area;
      throw new TypeError(`Expected a state area, got \`${String(never)}\``);
    }
  }
}

/** The whole state as a guest may see it (`guestArea` of each area; a new area must be named here). */
export function guestState(state: StateSnapshot): StateSnapshot {
  const of = <A extends StateArea>(area: A): StateSnapshot[A] => guestArea(area, state[area]);
  return {
    version: state.version,
    demo: state.demo,
    timeZone: state.timeZone,
    language: of('language'),
    camera: of('camera'),
    mood: of('mood'),
    player: of('player'),
    suggestions: of('suggestions'),
    session: of('session'),
    services: of('services'),
    library: of('library'),
    guests: of('guests'),
    dayPlan: of('dayPlan'),
    quietHours: of('quietHours'),
    quietUntil: of('quietUntil') ?? null,
  };
}

/** A change message as a guest may see it: the same type and `seq`, its area as `guestArea` has it. */
export function guestMessage(message: AreaMessage): AreaMessage {
  const area = message.type.slice(0, -'/changed'.length) as StateArea;
  return { ...message, data: guestArea(area, message.data) } as AreaMessage;
}

/** The services' health without their detail: it names the broker's address, files, devices and the sizes of the faces in view. */
export function guestServices(services: readonly ServiceHealthView[]): ServiceHealthView[] {
  return services.map(({ name, status }) => ({ name, status }));
}

/** The state as `view` may see it. */
export function stateFor(view: StateView, state: StateSnapshot): StateSnapshot {
  return view === 'all' ? state : guestState(state);
}
