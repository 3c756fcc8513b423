import type { Mat } from '@u4/opencv4nodejs';
import type { ListenerOwner } from '../kernel/event-bus.js';
import type { CameraError } from './errors.js';

/** One picture from a source. Frames stay in memory: nothing here ever writes them to disk. */
export interface Frame {
  /** 8-bit BGR pixels. The receiver owns it; the source never reuses it. */
  readonly image: Mat;
  /** 0, 1, 2… in delivery order, over the source's whole life (it keeps counting across reopens). */
  readonly index: number;
  /** When the frame was read (ms since the epoch, from the injected clock). */
  readonly at: number;
}

/** What a source reports about itself, apart from its frames. */
export type SourceStatus =
  | {
      readonly state: 'open';
      /** Frame size (px) and rate (frames/s; 0 when the source does not say). */
      readonly width: number;
      readonly height: number;
      readonly fps: number;
    }
  | {
      readonly state: 'unavailable';
      /** Why, in words, for the log and the admin panel. */
      readonly reason: string;
      readonly error: CameraError;
      /** When the next attempt to reopen is made (ms from now). */
      readonly retryInMs: number;
    }
  | { readonly state: 'ended' };

/**
 * Where frames come from (a camera, a video file, an image sequence, a GStreamer pipeline, an MJPEG
 * URL). A port: the adapter is `FfmpegFrameSource`; tests above it use `FakeFrameSource`.
 */
export interface FrameSource {
  /** The source as configured, for logs. */
  readonly description: string;
  /**
   * Yields frames until `signal` aborts (then it MUST end without throwing) or a finite source
   * ends. A live source yields at its own pace; a file MAY be paced like one. A source that cannot
   * be opened or stops delivering reports `unavailable` and retries with backoff; it MAY instead
   * throw a `CameraError` when configured not to retry. Only one iteration at a time.
   */
  frames(signal: AbortSignal): AsyncIterable<Frame>;
  /** Calls `listener`, on behalf of `owner`, on every status change; returns the function that unsubscribes. */
  onStatus(listener: (status: SourceStatus) => void, owner: ListenerOwner): () => void;
}
