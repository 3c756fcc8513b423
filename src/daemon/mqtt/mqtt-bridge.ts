import type { Config } from '../config/schema.js';
import type { CameraStatus, MoodboxBus, Playback } from '../events.js';
import type { Clock, Timer } from '../../kernel/clock.js';
import type { ListenerOwner } from '../../kernel/event-bus.js';
import type { Log } from '../../kernel/log.js';
import type { Service, ServiceHealth } from '../../kernel/lifecycle.js';
import type { RfidReader } from '../rfid/rfid-reader.js';
import { NOBODY, type RoomMoodLabel } from '../../kernel/room-mood.js';
import type { BoxControls } from './box-controls.js';
import { FleetMember, type AppliedSettings, type SeenCommands } from './fleet-member.js';
import { discoveryMessage, musicSources, NOTHING_PLAYING, withinStateLimit, type BoxIdentity } from './home-assistant.js';
import { homeAssistantCommand, holdMinutesInMemory, shown, type HoldMinutes } from './home-assistant-commands.js';
import type { MqttConnection } from './mqtt-connection.js';
import { actors } from '../store/store-reads.js';

/**
 * The box's state as the bridge reads it: the one projection of the app's events that the screens
 * and the guest page read too (`http/state-projector.ts`; the composition root hands it over), so
 * MQTT, the kiosk and the phones never disagree on what plays or how the room looks.
 */
export interface BoxState {
  camera: { status: CameraStatus };
  /** The room's mood (null: not known), its confidence (0–1) and the faces in view; the mood staff hold instead, until when (epoch ms). */
  mood: { current: RoomMoodLabel | null; confidence: number; faces: number; held?: { label: string; until: number } | null };
  player: {
    status: Playback['status'];
    /** Why no audio flows, while `status` is `stalled`. */
    stalled?: { cause: string; detail: string };
    nowPlaying: { id: number; title: string; artist: string } | null;
    /** 0–100. */
    volume: number;
  };
  /** Whoever is signed in at the kiosk. */
  session: { user: { name: string } | null };
  /** The day plan in force (`player.dayPlans`), or null. */
  dayPlan: { name: string; mood: string } | null;
}

/** What the bridge reads of Moodbox. */
export interface BoxView {
  /** The box's state now (the projection). */
  state(): BoxState;
  /** Calls `listener` after each change of the projection; returns the function that stops it. */
  subscribe(listener: () => void, owner: ListenerOwner): () => void;
  /** The settings in force (the live configuration's). */
  settings(): Config;
  /** True from a staff pause (the admin panel's, Home Assistant's) until staff resume the music. */
  isPausedByStaff(): boolean;
  health(): Array<{ name: string } & ServiceHealth>;
  /** Resident memory (bytes). */
  rss(): number;
}

export interface MqttBridgeDeps {
  connection: MqttConnection;
  bus: MoodboxBus;
  clock: Clock;
  log: Log;
  view: BoxView;
  controls: BoxControls;
  /** The RFID reader: its cards become Home Assistant tag scans. */
  cards?: RfidReader | undefined;
  /** The fleet command ids already carried out (kept across restarts by the daemon). */
  seen?: SeenCommands | undefined;
  /** Which id of each site-wide setting the box applied (kept across restarts by the daemon). */
  applied?: AppliedSettings | undefined;
  /** How long a mood chosen in Home Assistant is held (kept across restarts by the daemon). @default 60 minutes, in memory */
  holdMinutes?: HoldMinutes | undefined;
}

export interface MqttBridgeOptions {
  identity: BoxIdentity;
  site: string;
  box: string;
  homeAssistant: { enabled: boolean; prefix: string };
  fleet: { enabled: boolean; heartbeatMs: number; shareNames: boolean };
  /** The choices of `player.policy`. */
  policies: readonly string[];
}

/**
 * Moodbox on an MQTT broker: the box's state and health (retained, from the app's events), Home
 * Assistant's device discovery (sent again whenever Home Assistant says it is online) and its
 * commands, RFID cards as tag scans, and the fleet's heartbeats, play and mood events and operator
 * commands. Commands go through `BoxControls`, under the admin panel's rules. It only publishes and
 * listens: a broker that is away changes nothing for the camera or the music.
 */
export class MqttBridge implements Service {
  readonly name = 'mqtt-bridge';
  readonly #deps: MqttBridgeDeps;
  readonly #options: MqttBridgeOptions;
  readonly #member: FleetMember;
  readonly #holdMinutes: HoldMinutes;
  /** Ends the card reader's subscription (the bus's and the broker's go by owner). */
  #offCards: (() => void) | undefined;
  /** Ends the subscription to the box's state. */
  #offState: (() => void) | undefined;
  #healthTimer: Timer | undefined;
  /** Each part's status (not its detail) as last told in the health: a change of one is told at once. */
  #healthStatuses = '';
  #lastTrackId: number | null = null;
  #announcements = 0;
  /** The music sources Home Assistant was last told of, to announce again when they change. */
  #sources = '';

  constructor(deps: MqttBridgeDeps, options: MqttBridgeOptions) {
    this.#deps = deps;
    this.#options = options;
    this.#holdMinutes = deps.holdMinutes ?? holdMinutesInMemory();
    this.#member = new FleetMember(
      {
        connection: deps.connection,
        clock: deps.clock,
        log: deps.log,
        handle: (command, value) => deps.controls.fleet(command, value, actors.fleet),
        seen: deps.seen,
        applied: deps.applied,
      },
      {
        site: options.site,
        box: options.box,
        heartbeatMs: options.fleet.heartbeatMs,
        acceptCommands: options.fleet.enabled,
        events: options.fleet.enabled,
      },
    );
  }

  /** How many times Home Assistant's discovery message went out. */
  get announcements(): number {
    return this.#announcements;
  }

  async start(): Promise<void> {
    const { bus, connection, cards } = this.#deps;
    const topics = this.#member.topics;
    await this.#member.start();
    // The state follows the projection; the settings are the live configuration's own.
    this.#offState = this.#deps.view.subscribe(() => {
      this.#publishState();
      this.#publishHealthIfStatusChanged();
    }, this);
    // After the member has given the broker what it kept: a part that changed while the broker was away is told now.
    connection.onConnected(() => this.#publishHealthIfStatusChanged(), this);
    bus.on(
      'roomMoodChanged',
      ({ mood, previous }) => {
        // A mood forgotten (the camera stopped seeing) is no change of the room's mood: the state says it is unknown.
        if (mood !== null)
          this.#member.event('mood', { mood: mood.label, previous, confidence: percent(mood.confidence), faces: mood.faces });
      },
      this,
    );
    bus.on(
      'settingsChanged',
      () => {
        this.#publishState();
        const sources = musicSources(this.#deps.view.settings()).join();
        if (this.#options.homeAssistant.enabled && this.#announcements > 0 && sources !== this.#sources) this.#announce();
      },
      this,
    );
    bus.on(
      'playbackChanged',
      (playback) => {
        // A staff pause announced while the music was silent already changes no screen, but the state says it.
        this.#publishState();
        if (playback.trackId !== null && playback.trackId !== this.#lastTrackId) this.#played(playback.trackId);
        this.#lastTrackId = playback.trackId;
      },
      this,
    );
    const ha = this.#options.homeAssistant;
    if (ha.enabled) {
      connection.onConnected(() => this.#announce(), this);
      connection.subscribe(
        `${ha.prefix}/status`,
        (_topic, payload) => {
          if (payload.trim() === 'online') this.#announce();
        },
        this,
      );
      connection.subscribe(
        topics.setAll,
        (topic, payload, { retain }) => {
          // Home Assistant sends commands unretained; a kept one would be obeyed again on every connection.
          if (retain) this.#deps.log.warn({ topic }, 'home assistant command ignored: the broker kept it (retained)');
          else void this.#homeAssistantCommand(topic, payload);
        },
        this,
      );
      if (cards !== undefined) this.#offCards = cards.on('cardScanned', ({ cardId }) => connection.publish(topics.tag, cardId), this);
      // Connected before this started: the first announcement is not waiting for the next connection.
      if (connection.isConnected) this.#announce();
    }
    this.#publishState();
    this.#publishHealth();
    this.#healthTimer = this.#deps.clock.setInterval(() => this.#publishHealth(), this.#options.fleet.heartbeatMs);
  }

  async stop(): Promise<void> {
    this.#healthTimer?.cancel();
    this.#offState?.();
    this.#offState = undefined;
    // What the broker keeps after a clean stop says nothing plays, not the song that played last (issue 62).
    const last = this.state();
    delete last['trackId'];
    this.#member.setState({ ...last, status: 'stopped', playing: false, nowPlaying: NOTHING_PLAYING });
    // The connection is the bridge's own, not one of the daemon's buses.
    this.#deps.connection.removeListeners(this);
    this.#offCards?.();
    this.#offCards = undefined;
    await this.#member.stop();
  }

  /**
   * The retained JSON state Home Assistant's entities and `moodbox fleet list` read. No value is
   * ever null (Home Assistant would show "None"): what is not known is left out, and the entities
   * reading it are unavailable. What the camera saw counts only while it is on: off (by the switch,
   * the file or its hours), starting or lost, there are no faces, no occupancy and no mood.
   */
  state(): Record<string, unknown> {
    const { view } = this.#deps;
    const box = view.state();
    const camera = box.camera.status;
    const settings = view.settings();
    const isSeeing = camera === 'on' && settings.camera.enabled;
    const room = isSeeing ? box.mood.current : null;
    const faces = isSeeing ? box.mood.faces : 0;
    const playback = box.player;
    const track = playback.nowPlaying ?? undefined;
    const person = box.session.user?.name ?? null;
    return {
      ...(room === null ? {} : { mood: room, confidence: percent(box.mood.confidence) }),
      faces,
      occupied: faces > 0 || (room !== null && room !== NOBODY),
      camera,
      cameraEnabled: settings.camera.enabled,
      ...(settings.camera.hours === null ? {} : { cameraHours: settings.camera.hours }),
      status: playback.status,
      // `stalled` (no audio reaches the room) is not playing: Home Assistant's Playing sensor is off, and says why.
      playing: playback.status === 'playing',
      ...(playback.status === 'stalled' && playback.stalled !== undefined ? { stalled: withinStateLimit(playback.stalled.detail) } : {}),
      ...(track === undefined ? {} : { trackId: track.id }),
      nowPlaying:
        track === undefined ? NOTHING_PLAYING : withinStateLimit([track.artist, track.title].filter((part) => part !== '').join(' – ')),
      // A maximum just saved holds at once: the player lowers its volume to it a moment later.
      volume: Math.min(playback.volume, settings.player.maxVolume),
      pausedByStaff: view.isPausedByStaff(),
      ...(box.mood.held === undefined || box.mood.held === null
        ? {}
        : { moodHold: box.mood.held.label, moodHoldUntil: box.mood.held.until }),
      moodHoldMinutes: this.#holdMinutes.get(),
      maxVolume: settings.player.maxVolume,
      policy: settings.player.policy,
      ...(settings.player.quietHours === null ? {} : { quietHours: settings.player.quietHours }),
      source: settings.music.source,
      ...(box.dayPlan === null ? {} : { dayPlan: box.dayPlan.name, ...(box.dayPlan.mood === '' ? {} : { dayPlanMood: box.dayPlan.mood }) }),
      signedIn: person !== null,
      ...(this.#options.fleet.shareNames && person !== null ? { person } : {}),
    };
  }

  #publishState(): void {
    this.#member.setState(this.state());
  }

  /**
   * A part that turned ready, degraded or failed (the broker reached, the database lost, the server
   * up) is told at once, not at the next heartbeat: the health kept on the broker is never the
   * start's. A detail that changed alone (the faces seen, the frames a second, the tracks counted)
   * waits for the heartbeat: the demo's camera changes one every second (issue 81: 68 messages of
   * 1.5 KB a minute, where the fleet's sizing counts one every `mqtt.heartbeatS`).
   */
  #publishHealthIfStatusChanged(): void {
    if (statusesOf(this.#deps.view.health()) !== this.#healthStatuses) this.#publishHealth();
  }

  /**
   * The health now, details included. Nothing is made while the broker is away: it would say the
   * broker unreachable, and the member gives what it keeps to the broker again when it comes back.
   */
  #publishHealth(): void {
    const { view, clock, connection } = this.#deps;
    if (!connection.isConnected) return;
    const health = view.health();
    this.#healthStatuses = statusesOf(health);
    const services = health.map(({ name, status, detail }) => ({ name, status, ...(detail === undefined ? {} : { detail }) }));
    this.#member.setHealth({
      version: this.#options.identity.version,
      status: services.some((s) => s.status === 'failed') ? 'failed' : services.some((s) => s.status !== 'ready') ? 'degraded' : 'ready',
      rssMb: Math.round(view.rss() / 1048576),
      services,
      at: Math.floor(clock.now() / 60_000) * 60_000,
    });
  }

  #played(trackId: number): void {
    const box = this.#deps.view.state();
    // The projection heard the same event first (it starts before every service): it shows this song.
    const track = box.player.nowPlaying?.id === trackId ? box.player.nowPlaying : undefined;
    this.#member.event('play', {
      trackId,
      title: track?.title ?? null,
      artist: track?.artist ?? null,
      mood: box.mood.current,
    });
  }

  #announce(): void {
    const sources = musicSources(this.#deps.view.settings());
    this.#sources = sources.join();
    const { topic, payload } = discoveryMessage(this.#options.identity, this.#member.topics, {
      prefix: this.#options.homeAssistant.prefix,
      policies: this.#options.policies,
      sources,
      hasCardReader: this.#deps.cards !== undefined,
    });
    this.#deps.connection.publish(topic, JSON.stringify(payload), { retain: true, qos: 1 });
    this.#announcements += 1;
    this.#deps.log.info({ topic, announcements: this.#announcements }, 'announced to home assistant');
    // The state and health are not sent again: they are retained, and the broker hands them to Home
    // Assistant as it subscribes (issue 81: each connection sent them twice, each announcement again).
  }

  async #homeAssistantCommand(topic: string, payload: string): Promise<void> {
    const entity = topic.slice(topic.lastIndexOf('/') + 1);
    const { controls, log } = this.#deps;
    // As sent: a payload is one of the entity's choices written exactly, never trimmed into one (issue 80).
    const value = payload;
    try {
      await homeAssistantCommand(entity, value, { controls, holdMinutes: this.#holdMinutes });
      log.info({ entity, value: shown(value) }, 'home assistant command');
      // What only the bridge keeps (the hold time) is in the state too.
      this.#publishState();
    } catch (err) {
      // Nothing is sent again: Home Assistant reads its entities from the retained state, which the
      // refusal left as it was, and it ignores a state that did not change (issue 81).
      log.warn(
        { entity, value: shown(value), err: { message: shown(err instanceof Error ? err.message : String(err)) } },
        'home assistant command refused',
      );
    }
  }
}

/** Each part's name and status, without the detail: what a health message is sent at once for. */
function statusesOf(health: ReadonlyArray<{ name: string } & ServiceHealth>): string {
  return health.map(({ name, status }) => `${name}:${status}`).join();
}

function percent(share: number): number {
  return Math.round(share * 100);
}
