import type { StateSnapshot } from './contract.js';

/**
 * The state as a stranger off the LAN may see it (`GET /api/state` from a public address while
 * `server.adminLanOnly` is on): what plays and the room's mood, but nobody's name, no count of the
 * faces in view, no service's detail (it names the broker's address, files and devices) and no
 * path of the music folders. The screens on the box and the LAN get the whole state.
 */
export function stateForStrangers(state: StateSnapshot): StateSnapshot {
  const { lastScan } = state.library;
  // Neither how the faces look nor whether the face in front is a signed-in person's.
  const mood = { ...state.mood, faces: 0 };
  delete mood.byEmotion;
  delete mood.isPersonal;
  return {
    ...state,
    camera: { ...state.camera, detail: null },
    mood,
    session: { ...state.session, user: null, notice: null },
    services: state.services.map(({ name, status }) => ({ name, status })),
    library: {
      ...state.library,
      lastScan: lastScan === null ? null : { ...lastScan, failed: [], problems: [] },
    },
  };
}
