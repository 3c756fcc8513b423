import type {
  AdminSession,
  AdminStation,
  AdminTrack,
  RecordingFile,
  AdminUser,
  AuditEntry,
  CameraFace,
  CameraFaces,
  CameraState,
  CapturedCard,
  BulkMoodsChange,
  CardReader,
  HistoryPlay,
  KnownMood,
  LibraryFit,
  Card,
  ChartsFilter,
  ChartStats,
  ConfigSchemaNode,
  HistoryFilter,
  LibraryState,
  ModelFigure,
  ModelReport,
  MoodHoldRequest,
  MoodState,
  NewCard,
  NewStation,
  NewUser,
  BlockedEntry,
  BlocksView,
  BlockTarget,
  BlockImportReport,
  Page,
  Play,
  ScanStarted,
  Settings,
  SettingsSave,
  Skipped,
  StaffPlayer,
  StaffQueueItem,
  SpotifyConnect,
  SpotifyDevice,
  SpotifyPlaylist,
  SpotifyStatus,
  Stats,
  TrackMoodsChange,
  TracksFilter,
  UserChange,
  GuestAdminView,
  Backup,
  Backups,
  RestoreStarted,
  FirstAdmin,
  FirstRunStatus,
  FirstRunWizardView,
} from '../../daemon/http/contract.js';
import { ApiError, httpBlob, httpJson } from './api-client.js';

export type {
  AdminSession,
  AdminStation,
  NewStation,
  BlockedEntry,
  BlocksView,
  BlockImportReport,
  CardReader,
  HistoryPlay,
  KnownMood,
  AdminTrack,
  RecordingFile,
  AdminUser,
  AuditEntry,
  CameraFace,
  CameraFaces,
  CameraState,
  Card,
  ChartStats,
  ConfigSchemaNode,
  HistoryFilter,
  LibraryState,
  ModelFigure,
  ModelReport,
  MoodState,
  Page,
  Play,
  LibraryFit,
  StaffPlayer,
  StaffQueueItem,
  SpotifyDevice,
  SpotifyPlaylist,
  SpotifyStatus,
  Stats,
  GuestAdminView,
  Backup,
  Backups,
  Settings,
  FirstRunStatus,
  FirstRunWizardView,
};

/** A camera preview frame, as an object URL the caller must revoke with `URL.revokeObjectURL`. */
export interface CameraPreview {
  url: string;
  /** Epoch ms it was taken, or null when the daemon did not say. */
  capturedAt: number | null;
}

/**
 * The admin panel's HTTP calls. Holds the CSRF token from sign-in and sends it on every change;
 * the session itself is the daemon's HttpOnly cookie. A 401 fires `signed-out`.
 */
export class AdminApi extends EventTarget {
  #csrf = '';

  /** The current session, or null when not signed in. */
  async session(): Promise<AdminSession | null> {
    try {
      const session = await httpJson<AdminSession>('GET', '/api/admin/session');
      this.#csrf = session.csrfToken;
      return session;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }

  /** Whether the box still needs its first admin, and whether this device must give the first-run code. */
  firstRun = (): Promise<FirstRunStatus> => httpJson<FirstRunStatus>('GET', '/api/first-run');

  /** Creates the first admin of a box with none, and signs them in. */
  async createFirstAdmin(body: FirstAdmin): Promise<AdminSession> {
    const session = await httpJson<AdminSession>('POST', '/api/first-run', { body });
    this.#csrf = session.csrfToken;
    return session;
  }

  /** Where the set-up after the first admin stands (`step` null: none under way), for any admin on any device. */
  firstRunWizard = (): Promise<FirstRunWizardView> => this.#get('/api/admin/first-run/wizard');
  /** Moves the set-up under way to `wizard.step`, or ends it (`step: null`); where it stands now. */
  moveFirstRunWizard = (wizard: FirstRunWizardView): Promise<FirstRunWizardView> =>
    this.#change('PUT', '/api/admin/first-run/wizard', wizard);

  async signIn(name: string, passphrase: string): Promise<AdminSession> {
    const session = await httpJson<AdminSession>('POST', '/api/admin/session', { body: { name, passphrase } });
    this.#csrf = session.csrfToken;
    return session;
  }

  /** Changes the signed-in admin's own passphrase; the daemon replaces the session, so the CSRF token changes too. */
  async changeOwnPassphrase(currentPassphrase: string, newPassphrase: string): Promise<AdminSession> {
    const session = await this.#change<AdminSession>('POST', '/api/admin/me/passphrase', { currentPassphrase, newPassphrase });
    this.#csrf = session.csrfToken;
    return session;
  }

  /** The admin panel's language for this account (`auto`: the browser's); the session as it is now. */
  async setLanguage(language: string): Promise<AdminSession> {
    return this.#change<AdminSession>('PUT', '/api/admin/session/language', { language });
  }

  async signOut(): Promise<void> {
    await this.#change('DELETE', '/api/admin/session');
    this.#csrf = '';
  }

  users = (): Promise<AdminUser[]> => this.#get('/api/admin/users');
  createUser = (body: NewUser): Promise<AdminUser> => this.#change('POST', '/api/admin/users', body);
  updateUser = (id: number, body: UserChange): Promise<AdminUser> => this.#change('PATCH', `/api/admin/users/${id}`, body);
  setPin = (id: number, pin: string): Promise<void> => this.#change('PUT', `/api/admin/users/${id}/pin`, { pin });
  deleteUser = (id: number): Promise<void> => this.#change('DELETE', `/api/admin/users/${id}`);
  /** Clears the wrong tries counted against a person, so they can sign in at once. */
  unlockUser = (id: number): Promise<void> => this.#change('POST', `/api/admin/users/${id}/unlock`);
  cards = (userId: number): Promise<Card[]> => this.#get(`/api/admin/users/${userId}/cards`);
  linkCard = (body: NewCard): Promise<Card> => this.#change('POST', '/api/admin/cards', body);
  captureCard = (timeoutS = 20): Promise<CapturedCard> => this.#change('POST', '/api/admin/cards/capture', { timeoutS });
  /** Ends a wait for a card; the pending `captureCard` rejects (409). */
  cancelCardCapture = (): Promise<void> => this.#change('DELETE', '/api/admin/cards/capture');
  /** Whether a card reader is plugged in; `detail` says why not in words. */
  cardReader = (): Promise<CardReader> => this.#get('/api/admin/cards/reader');
  unlinkCard = (cardId: string): Promise<void> => this.#change('DELETE', `/api/admin/cards/${encodeURIComponent(cardId)}`);
  history = (filter: HistoryFilter): Promise<Page<HistoryPlay>> => this.#get('/api/admin/history', { ...filter });
  audit = (limit: number, offset: number, action?: string): Promise<Page<AuditEntry>> =>
    this.#get('/api/admin/audit', { limit, offset, action });
  stats = (from: number, to: number): Promise<Stats> => this.#get('/api/admin/stats', { from, to });
  /** The dashboard charts over [from, to), counted by the daemon per bucket. */
  charts = (query: ChartsFilter): Promise<ChartStats> => this.#get('/api/admin/stats/charts', { ...query });
  tracks = (query: TracksFilter): Promise<Page<AdminTrack>> => this.#get('/api/admin/tracks', query);
  /** The files of a song's recording, the one that plays first. */
  recordingFiles = async (id: number): Promise<RecordingFile[]> =>
    (await this.#get<{ items: RecordingFile[] }>(`/api/admin/tracks/${id}/files`)).items;
  /** Plays this file for its song from now on; resolves to the song as it is then. */
  playRecordingFile = (id: number): Promise<AdminTrack> => this.#change('POST', `/api/admin/tracks/${id}/play-this-file`);
  setTrackMoods = (id: number, moods: TrackMoodsChange): Promise<AdminTrack> =>
    this.#change('PUT', `/api/admin/tracks/${id}/moods`, { moods });
  /** The moods a track may be tagged with. */
  moods = async (): Promise<KnownMood[]> => (await this.#get<{ moods: KnownMood[] }>('/api/admin/moods')).moods;
  /** Adds and removes moods on several tracks at once; resolves to the tracks as saved. */
  editMoods = async (change: BulkMoodsChange): Promise<AdminTrack[]> =>
    (await this.#change<{ items: AdminTrack[] }>('POST', '/api/admin/tracks/moods', change)).items;
  /** Web radio and other streams, failing ones with when and why. */
  stations = async (): Promise<AdminStation[]> => (await this.#get<{ items: AdminStation[] }>('/api/admin/stations')).items;
  /** Adds a station (or updates the one with its URL); rejects with the field at fault, or why YouTube is refused. */
  addStation = (station: NewStation): Promise<AdminStation> => this.#change('POST', '/api/admin/stations', station);
  removeStation = (id: number): Promise<void> => this.#change('DELETE', `/api/admin/stations/${id}`);
  /** The blocked songs and artists, and the rule for explicit songs. */
  blocks = (): Promise<BlocksView> => this.#get('/api/admin/blocks');
  /** Blocks a song or an artist: the music never picks it, guests cannot ask for it, and a song playing or queued gives way. */
  block = (target: BlockTarget): Promise<BlockedEntry> => this.#change('POST', '/api/admin/blocks', target);
  unblock = (id: number): Promise<BlockedEntry> => this.#change('DELETE', `/api/admin/blocks/${id}`);
  /** Blocks what a CSV names (`artist`, optionally `title`). */
  importBlocks = (csv: string): Promise<BlockImportReport> => this.#change('POST', '/api/admin/blocks/import', { csv });
  /** Guests' requests and votes (never who); take one out of the queue, or clear the queue and every vote. */
  guestRequests = (): Promise<GuestAdminView> => this.#get('/api/admin/guests');
  clearGuestRequest = (id: number): Promise<GuestAdminView> => this.#change('DELETE', `/api/admin/guests/requests/${id}`);
  /** Says yes to a request waiting for the staff (`guests.approval`): it plays when it fits the room. */
  approveGuestRequest = (id: number): Promise<GuestAdminView> => this.#change('POST', `/api/admin/guests/requests/${id}/approve`);
  clearGuests = (): Promise<GuestAdminView> => this.#change('DELETE', '/api/admin/guests');
  /** Starts a rescan of the music folders; progress and the result arrive in the `library` state area. */
  scanLibrary = (): Promise<ScanStarted> => this.#change('POST', '/api/admin/library/scan');
  model = (): Promise<ModelReport> => this.#get('/api/admin/model');
  /** The newest blurred camera frame; rejects with the daemon's reason (404) when there is none. */
  cameraPreview = async (): Promise<CameraPreview> => {
    const { blob, headers } = await this.#guard(httpBlob('/api/admin/camera/preview.jpg'));
    const at = Number(headers.get('x-captured-at'));
    return { url: URL.createObjectURL(blob), capturedAt: Number.isFinite(at) && at > 0 ? at : null };
  };
  /** The faces of the newest analysed camera frame; rejects with the daemon's reason (404) when there is none. */
  cameraFaces = (): Promise<CameraFaces> => this.#get('/api/admin/camera/faces');
  /** The music as staff control it. */
  staffPlayer = (): Promise<StaffPlayer> => this.#get('/api/admin/player');
  /** Pauses until staff resume; nothing else resumes it. */
  pauseMusic = (): Promise<StaffPlayer> => this.#change('POST', '/api/admin/player/pause');
  /** Ends a staff pause; `silence` says when quiet hours or the schedule still keep the music off. */
  resumeMusic = (): Promise<StaffPlayer> => this.#change('POST', '/api/admin/player/resume');
  skipTrack = (): Promise<Skipped> => this.#change('POST', '/api/admin/player/skip');
  /** 0–100; the maximum and the volume schedule still cap it. */
  setVolume = (volume: number): Promise<StaffPlayer> => this.#change('PUT', '/api/admin/player/volume', { volume });
  /** Plays for `label` instead of the camera's reading for `minutes`. */
  holdMood = (label: MoodHoldRequest['label'], minutes: number): Promise<StaffPlayer> =>
    this.#change('PUT', '/api/admin/mood/hold', { label, minutes });
  releaseMood = (): Promise<StaffPlayer> => this.#change('DELETE', '/api/admin/mood/hold');
  /** Plays a song or station of the library on the speakers now; refused while the music is silent. */
  playNow = (trackId: number): Promise<StaffPlayer> => this.#change('POST', '/api/admin/player/play-now', { trackId });
  /** Puts a song or station at the head of what plays next. */
  playNext = (trackId: number): Promise<StaffPlayer> => this.#change('POST', '/api/admin/player/queue', { trackId });
  /** Moves a song staff queued to `position` among the songs staff queued (0: next), by its queue key. */
  moveQueued = (key: number, position: number): Promise<StaffPlayer> =>
    this.#change('PUT', `/api/admin/player/queue/${key}/position`, { position });
  /** Takes a song staff queued out again, by its queue key. */
  unqueue = (key: number): Promise<StaffPlayer> => this.#change('DELETE', `/api/admin/player/queue/${key}`);
  /** How many songs fit each mood the room can be in, and how many are not analysed. */
  libraryFit = (): Promise<LibraryFit> => this.#get('/api/admin/library/fit');
  /** Asks the daemon to restart; it answers before it stops, and comes back under its service manager. */
  restartDaemon = (): Promise<{ restarting: true }> => this.#change('POST', '/api/admin/restart');
  /** The backups on the box with their sizes, newest first, and the restore this start put in place. */
  backups = (): Promise<Backups> => this.#get('/api/admin/backups');
  /** Copies the database now. */
  backUpNow = (): Promise<Backup> => this.#change('POST', '/api/admin/backups');
  /** Deletes a backup from the box. */
  deleteBackup = async (name: string): Promise<void> => {
    await this.#change('DELETE', `/api/admin/backups/${encodeURIComponent(name)}`);
  };
  /** Where a backup downloads from (a link the browser follows with the session's cookie). */
  backupUrl = (name: string): string => `/api/admin/backups/${encodeURIComponent(name)}`;
  /** Adds a backup from a file; rejects with why it would not restore (`MB_ERR_STORE_RESTORE`), and then nothing is kept. */
  uploadBackup = (file: Blob): Promise<Backup> =>
    this.#guard(
      httpJson<Backup>('POST', '/api/admin/backups/upload', {
        raw: { body: file, type: 'application/vnd.sqlite3' },
        headers: { 'x-csrf-token': this.#csrf },
      }),
    );
  /** Readies a backup to replace the database: checked, then Moodbox restarts and puts it in place, keeping the one it replaces; everyone is signed out, and today's people stay unless `people`. */
  restoreBackup = (name: string, options: { people?: boolean } = {}): Promise<RestoreStarted> =>
    this.#change('POST', `/api/admin/backups/${encodeURIComponent(name)}/restore`, { people: options.people === true });
  configSchema = (): Promise<ConfigSchemaNode> => this.#get('/api/admin/config/schema');
  settings = (): Promise<Settings> => this.#get('/api/admin/settings');
  saveSettings = (overrides: Record<string, unknown>): Promise<SettingsSave> => this.#change('PUT', '/api/admin/settings', { overrides });
  /** Forgets the saved settings set aside at a start, once the admin has read them. */
  dismissSetAside = async (): Promise<void> => {
    await this.#change('DELETE', '/api/admin/settings/set-aside');
  };
  spotify = (): Promise<SpotifyStatus> => this.#get('/api/admin/spotify');
  /** Begins a sign-in: Spotify's page to open, which sends the browser back to the box's callback. */
  connectSpotify = (): Promise<SpotifyConnect> => this.#change('POST', '/api/admin/spotify/connect');
  /** Finishes a sign-in with the address the browser landed on, when Spotify could not send it back to the box. */
  completeSpotify = (url: string): Promise<SpotifyStatus> => this.#change('POST', '/api/admin/spotify/complete', { url });
  disconnectSpotify = (): Promise<SpotifyStatus> => this.#change('POST', '/api/admin/spotify/disconnect');
  spotifyDevices = async (): Promise<SpotifyDevice[]> =>
    (await this.#get<{ devices: SpotifyDevice[] }>('/api/admin/spotify/devices')).devices;
  /** Remembers the device by name; null goes back to the one named after the box. */
  chooseSpotifyDevice = (name: string | null): Promise<SpotifyStatus> => this.#change('PUT', '/api/admin/spotify/device', { name });
  spotifyPlaylists = async (): Promise<SpotifyPlaylist[]> =>
    (await this.#get<{ playlists: SpotifyPlaylist[] }>('/api/admin/spotify/playlists')).playlists;
  /** Maps a playlist to a mood, or unmaps it with null; resolves to the mood kept. */
  mapSpotifyPlaylist = async (id: string, mood: string | null): Promise<string | null> =>
    (await this.#change<{ mood: string | null }>('PUT', `/api/admin/spotify/playlists/${encodeURIComponent(id)}`, { mood })).mood;

  /** True when the daemon publishes a route with this operationId (for panels whose routes may not exist yet). */
  async hasOperation(operationId: string): Promise<boolean> {
    const doc = await httpJson<{ paths?: Record<string, Record<string, { operationId?: string }>> }>('GET', '/api/openapi.json');
    return Object.values(doc.paths ?? {}).some((ops) => Object.values(ops).some((op) => op.operationId === operationId));
  }

  #get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.#guard(httpJson<T>('GET', path, query ? { query } : {}));
  }

  #change<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.#guard(httpJson<T>(method, path, { headers: { 'x-csrf-token': this.#csrf }, ...(body !== undefined ? { body } : {}) }));
  }

  async #guard<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.dispatchEvent(new Event('signed-out'));
      throw err;
    }
  }
}

/**
 * Plays as CSV (RFC 4180), one row per play, times as ISO 8601 UTC; the title, artist and person last, where known.
 * A text cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or
 * a carriage return: a self-registered name, a track's tags) is written with a leading `'`, so it
 * opens as the text it is (OWASP's CSV injection rule).
 */
export function playsToCsv(plays: Array<Play & Partial<Pick<HistoryPlay, 'title' | 'artist' | 'userName'>>>): string {
  const cell = (value: string | number | null): string => {
    const raw = value === null ? '' : String(value);
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${raw}` : raw;
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
  const rows = plays.map((p) =>
    [
      p.id,
      p.trackId,
      p.userId,
      p.reason,
      p.mood,
      iso(p.startedAt),
      iso(p.endedAt),
      p.outcome,
      p.title ?? null,
      p.artist ?? null,
      p.userName ?? null,
    ]
      .map(cell)
      .join(','),
  );
  return ['id,trackId,userId,reason,mood,startedAt,endedAt,outcome,title,artist,person', ...rows].join('\r\n') + '\r\n';
}
