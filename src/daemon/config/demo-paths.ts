/** The bundled demo's files, relative to the install folder: what demo mode plays and shows. */

/** The bundled demo camera (`camera.source: demo`): a looped clip of faces whose expressions change. */
export const DEMO_CAMERA = 'demo/camera.mp4';

/** The bundled demo music, the default music folder; it leaves the library once a folder of the owner's own is in. */
export const DEMO_LIBRARY = 'demo/library';
