import type * as OpenCv from '@u4/opencv4nodejs';

/** The @u4/opencv4nodejs module. */
export type Cv = typeof OpenCv;

let loading: Promise<Cv> | undefined;

/**
 * Loads @u4/opencv4nodejs on first use, so that the daemon and `moodbox --help` start without it.
 * Its build helper's `Info:` lines and OpenCV's warnings are silenced, it is told never to try
 * building OpenCV itself, and its external-memory reporting is turned off (see below), so callers
 * MUST `release()` the large Mats they create.
 */
export function loadOpencv(): Promise<Cv> {
  loading ??= (async () => {
    process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
    // The binding reports Mat memory to V8 from inside Mat destructors, which can run during a
    // garbage collection and then crashes V8 ("Check failed: marking_done_"). The adapters
    // release their large temporaries explicitly instead.
    process.env['OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING'] ??= '1';
    // OpenCV's own warnings (a source that failed to open, say) are reported by the adapters instead.
    process.env['OPENCV_LOG_LEVEL'] ??= 'ERROR';
    const { Log } = await import('@u4/opencv-build');
    Log.silence = true;
    const module = (await import('@u4/opencv4nodejs')) as Cv & { default?: Cv };
    return module.default ?? module;
  })();
  return loading;
}
