import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CameraStatus, MoodboxBus } from '../events.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { Service } from '../../kernel/lifecycle.js';
import type { PlayerEvents } from '../../player/player.js';
import type { ErrorCounter } from './error-counter.js';

/** Latency buckets (seconds) for one frame's detection or classification: 0.5 ms to 250 ms. */
const FRAME_BUCKETS = [0.0005, 0.001, 0.002, 0.004, 0.008, 0.012, 0.016, 0.025, 0.05, 0.1, 0.25];
const CAMERA_STATES: readonly CameraStatus[] = ['off', 'starting', 'on', 'unavailable'];

export interface MoodboxMetricsDeps {
  bus: MoodboxBus;
  /** The player's own events: each play with its source and why it started. */
  player: { readonly events: Pick<EventBus<PlayerEvents>, 'on'> };
  /** The music source of a library track (`local`, `spotify`, …). */
  sourceOf: (trackId: number) => string;
  /** The lines logged at `error` or `fatal`, by part (`moodbox_errors_total`), counted by the root logger. @default not served */
  errors?: ErrorCounter | undefined;
}

/**
 * Moodbox's Prometheus metrics (prom-client), fed from the app's events and the player's: frames
 * analysed, detection and classification latency, faces in view, room mood changes, plays by
 * source and reason, skips by people and switches for the room; WebSocket clients (read from the server at each scrape); the
 * lines logged at error level by part (`ErrorCounter`, counted by the root logger); and Node's
 * own (resident memory, event-loop lag, heap, GC) under `process_` and `nodejs_`. It only counts:
 * nothing waits on it, and nothing is sent anywhere; `/metrics` serves it to the LAN, without the
 * number of faces in view (`MetricsView`).
 */
/** Node's default gauges whose names end in `_total`, as counters' do: the same values are served as `nodejs_active_*`. */
const MISNAMED_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/**
 * Who reads the metrics: `all` on the box itself and for an admin, `guest` for any other device,
 * which, as in the screens' guest view, gets no count of the faces in view (`moodbox_faces`).
 */
export type MetricsView = 'all' | 'guest';

export class MoodboxMetrics implements Service {
  readonly name = 'metrics';
  /** Every metric but those of the room: what any reader gets. */
  readonly registry = new Registry();
  /** The room's: the faces in view, for the `all` view only. */
  readonly #room = new Registry();
  readonly #deps: MoodboxMetricsDeps;
  #wsClients: () => number = () => 0;
  readonly #frames: Counter;
  readonly #detect: Histogram;
  readonly #classify: Histogram;
  readonly #faces: Gauge;
  readonly #camera: Gauge<'state'>;
  readonly #moodChanges: Counter<'mood'>;
  readonly #plays: Counter<'source' | 'reason'>;
  readonly #skips: Counter;
  readonly #switches: Counter;
  readonly #stalled: Gauge;
  readonly #stalls: Counter<'cause'>;
  #isStalled = false;

  constructor(deps: MoodboxMetricsDeps) {
    this.#deps = deps;
    const registers = [this.registry];
    this.#frames = new Counter({ name: 'moodbox_frames_analysed_total', help: 'Camera frames analysed.', registers });
    this.#detect = new Histogram({
      name: 'moodbox_detection_seconds',
      help: 'Time to find the faces in one frame.',
      buckets: FRAME_BUCKETS,
      registers,
    });
    this.#classify = new Histogram({
      name: 'moodbox_classification_seconds',
      help: "Time to read the expressions of one frame's faces.",
      buckets: FRAME_BUCKETS,
      registers,
    });
    this.#faces = new Gauge({ name: 'moodbox_faces', help: 'Faces in the newest analysed frame.', registers: [this.#room] });
    this.#camera = new Gauge({
      name: 'moodbox_camera_state',
      help: 'The camera, one series per state, 1 for the state it is in: off (switched off, by its hours or the configuration), starting, on (seeing), unavailable (lost, retried).',
      labelNames: ['state'],
      registers,
    });
    // Off until the camera service says otherwise, as the screens show it: a box with no camera has none on.
    this.#setCamera('off');
    this.#moodChanges = new Counter({
      name: 'moodbox_mood_changes_total',
      help: 'Room mood changes, by the new mood.',
      labelNames: ['mood'],
      registers,
    });
    this.#plays = new Counter({
      name: 'moodbox_plays_total',
      help: 'Tracks started, by music source and why they started.',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.#skips = new Counter({
      name: 'moodbox_skips_total',
      help: 'Tracks cut by a person (a skip at the kiosk, by staff or from Home Assistant, or staff playing another song now); a song changed for the room is not a skip.',
      registers,
    });
    this.#switches = new Counter({
      name: 'moodbox_switches_total',
      help: "Songs changed because the mood the music follows changed (the room's, or one staff hold).",
      registers,
    });
    this.#stalled = new Gauge({
      name: 'moodbox_player_stalled',
      help: '1 while no audio reaches the listener though the player is to play (its output failed, or it restarts), else 0.',
      registers,
    });
    this.#stalls = new Counter({
      name: 'moodbox_player_stalls_total',
      help: 'Times audio stopped reaching the listener, by cause: output (the speakers or the Snapcast server), player (a restart).',
      labelNames: ['cause'],
      registers,
    });
    this.#stalled.set(0);
    const wsClients = (): number => this.#wsClients();
    new Gauge({
      name: 'moodbox_websocket_clients',
      help: 'Screens connected over the WebSocket.',
      registers,
      collect() {
        this.set(wsClients());
      },
    });
    if (deps.errors !== undefined) this.registry.registerMetric(deps.errors.metric);
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (prom-client also serves each as the same name without `_total`):
    // promtool's lint refuses them, and a rate() over one would mean nothing.
    for (const name of MISNAMED_GAUGES) this.registry.removeSingleMetric(name);
  }

  async start(): Promise<void> {
    const { bus, player } = this.#deps;
    bus.on(
      'frameAnalysed',
      ({ detectMs, classifyMs }) => {
        this.#frames.inc();
        this.#detect.observe(detectMs / 1000);
        this.#classify.observe(classifyMs / 1000);
      },
      this,
    );
    // The camera service's count: 0 as soon as the camera stops seeing, not the last frame's until the next one.
    bus.on('facesInViewChanged', ({ faces }) => this.#faces.set(faces), this);
    // With the camera's state beside the faces, an empty room (on, 0 faces) and a camera switched off read apart.
    bus.on('cameraStateChanged', ({ status }) => this.#setCamera(status), this);
    bus.on(
      'roomMoodChanged',
      ({ mood }) => {
        if (mood !== null) this.#moodChanges.inc({ mood: mood.label });
      },
      this,
    );
    player.events.on(
      'trackStarted',
      ({ item }) => {
        this.#plays.inc({ source: this.#deps.sourceOf(item.track.id), reason: item.reason });
      },
      this,
    );
    player.events.on(
      'stalledChanged',
      ({ stalled }) => {
        const was = this.#isStalled;
        this.#isStalled = stalled !== null;
        this.#stalled.set(stalled === null ? 0 : 1);
        if (stalled !== null && !was) this.#stalls.inc({ cause: stalled.cause });
      },
      this,
    );
    player.events.on(
      'trackEnded',
      ({ outcome }) => {
        // Counted as the history counts it: a song a person cut (a skip, or staff's "play now") ends `skipped`.
        if (outcome === 'switched') this.#switches.inc();
        else if (outcome === 'skipped') this.#skips.inc();
      },
      this,
    );
  }

  /** Holds nothing but its subscriptions, which the lifecycle ends. */
  async stop(): Promise<void> {}

  #setCamera(status: CameraStatus): void {
    for (const state of CAMERA_STATES) this.#camera.set({ state }, state === status ? 1 : 0);
  }

  /** Where the number of WebSocket clients is read at each scrape (the server, once it is built). */
  observeWebSocketClients(count: () => number): void {
    this.#wsClients = count;
  }

  /** The metrics `view` may read in Prometheus's text format, and its content type. */
  async render(view: MetricsView = 'all'): Promise<{ contentType: string; body: string }> {
    const registry = view === 'all' ? Registry.merge([this.registry, this.#room]) : this.registry;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}
