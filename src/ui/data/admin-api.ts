import type { CameraState, LibraryState, MoodState } from '../../daemon/http/contract.js';
import { ApiError, httpBlob, httpJson } from './api-client.js';

export type { CameraState, LibraryState, MoodState };

export interface AdminUser {
  id: number;
  name: string;
  role: 'admin' | 'member';
  disabled: boolean;
  mustChangePin: boolean;
  preferences: { languages?: string[]; artists?: string[]; avoidMoods?: string[] };
  createdAt: number;
  /** In the list only: wrong PINs and passphrases counted against the account, and the seconds its next sign-in must wait. */
  signIn?: { failures: number; waitS: number };
}
export interface AdminSession {
  csrfToken: string;
  expiresAt: number;
  user: { id: number; name: string; mustChangePin: boolean };
}
export interface Card {
  cardId: string;
  userId: number;
  label: string;
  createdAt: number;
}
export interface Play {
  id: number;
  trackId: number | null;
  userId: number | null;
  reason: 'mood' | 'tap' | 'skip' | 'like';
  mood: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: 'completed' | 'skipped' | 'failed' | 'interrupted' | null;
}
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}
export interface TrackMoodTag {
  mood: string;
  weight: number;
  origin: string;
}
export interface AdminTrack {
  id: number;
  uri: string;
  title: string;
  artist: string;
  album: string;
  genre: string;
  language: string;
  durationMs: number | null;
  cover: string | null;
  /** Where the cover image is served, or null. */
  coverUrl: string | null;
  moods: TrackMoodTag[];
}
/** One accuracy measurement of an emotion model (0–1 shares). */
export interface ModelFigure {
  file: string;
  precision: 'int8' | 'float';
  isInUse: boolean;
  /** The FER-2013 split, e.g. `PublicTest`. */
  usage: string;
  /** Whether each face was averaged with its mirror image. */
  flipTta: boolean;
  n: number;
  accuracy: number;
  macroRecall: number | null;
  /** Agreement with the FER+ majority vote, or null when not measured. */
  ferPlusMajority: { n: number; accuracy: number } | null;
  imagesPerSecond: number | null;
}
/** The emotion model in use, from its manifest, with the report plots that exist. */
export interface ModelReport {
  file: string;
  sha256: string;
  bytes: number | null;
  labels: string[];
  flipTta: boolean;
  provenance: string;
  licence: string;
  sourceEpoch: number | null;
  quantization: string | null;
  figures: ModelFigure[];
  perClass: Array<{ label: string; n: number; recall: number }>;
  images: Array<{ file: string; title: string; url: string }>;
}
/** A camera preview frame, as an object URL the caller must revoke with `URL.revokeObjectURL`. */
export interface CameraPreview {
  url: string;
  /** Epoch ms it was taken, or null when the daemon did not say. */
  capturedAt: number | null;
}
/** One face of an analysed camera frame. */
export interface CameraFace {
  /** The face track: the same person keeps it while they stay in view. */
  trackId: number;
  /** `[x, y, width, height]` in pixels of the analysed frame. */
  box: [number, number, number, number];
  /** The most probable emotion in this frame. */
  emotion: string;
  /** Its probability, 0–1. */
  confidence: number;
  /** Probability (0–1) per emotion, in the model's label order. */
  probabilities: Record<string, number>;
}
/** The faces of the newest analysed camera frame: boxes and numbers, no pixels. */
export interface CameraFaces {
  /** Epoch ms the frame was analysed. */
  at: number;
  /** Size of the analysed frame (px): the boxes are in its pixels. */
  width: number;
  height: number;
  /** The room mood after the frame. */
  mood: string;
  faces: CameraFace[];
  /** Time spent on the frame (ms). */
  timing: { detectMs: number; classifyMs: number; totalMs: number };
}
export interface Stats {
  playsPerMoodPerDay: Array<{ day: string; mood: string; plays: number }>;
  moodOverTime: Array<{ at: number; mood: string; confidence: number; faces: number }>;
}
export interface Page<T> {
  items: T[];
  total: number;
}
export interface HistoryFilter {
  userId?: number;
  mood?: string;
  reason?: Play['reason'];
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}
/** A JSON-schema node as the daemon publishes its configuration schema. */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  requiresRestart?: boolean;
  /** Only the configuration file may set it (it runs a program or opens a file): shown read-only. */
  fileOnly?: boolean;
}
export interface SettingsSave {
  changed: string[];
  restartRequired: string[];
  config: Record<string, unknown>;
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

  async signOut(): Promise<void> {
    await this.#change('DELETE', '/api/admin/session');
    this.#csrf = '';
  }

  users = (): Promise<AdminUser[]> => this.#get('/api/admin/users');
  createUser = (body: { name: string; role: AdminUser['role']; pin?: string }): Promise<AdminUser> =>
    this.#change('POST', '/api/admin/users', body);
  updateUser = (id: number, body: Partial<Pick<AdminUser, 'name' | 'role' | 'disabled'>>): Promise<AdminUser> =>
    this.#change('PATCH', `/api/admin/users/${id}`, body);
  setPin = (id: number, pin: string): Promise<unknown> => this.#change('PUT', `/api/admin/users/${id}/pin`, { pin });
  deleteUser = (id: number): Promise<void> => this.#change('DELETE', `/api/admin/users/${id}`);
  /** Clears the wrong tries counted against a person, so they can sign in at once. */
  unlockUser = (id: number): Promise<void> => this.#change('POST', `/api/admin/users/${id}/unlock`);
  cards = (userId: number): Promise<Card[]> => this.#get(`/api/admin/users/${userId}/cards`);
  linkCard = (body: { cardId: string; userId: number; label?: string }): Promise<Card> => this.#change('POST', '/api/admin/cards', body);
  captureCard = (timeoutS = 20): Promise<{ cardId: string; linkedTo: number | null }> =>
    this.#change('POST', '/api/admin/cards/capture', { timeoutS });
  unlinkCard = (cardId: string): Promise<void> => this.#change('DELETE', `/api/admin/cards/${encodeURIComponent(cardId)}`);
  history = (filter: HistoryFilter): Promise<Page<Play>> => this.#get('/api/admin/history', { ...filter });
  audit = (limit: number, offset: number): Promise<Page<AuditEntry>> => this.#get('/api/admin/audit', { limit, offset });
  stats = (from: number, to: number): Promise<Stats> => this.#get('/api/admin/stats', { from, to });
  tracks = (query: { search?: string; mood?: string; limit: number; offset: number }): Promise<Page<AdminTrack>> =>
    this.#get('/api/admin/tracks', query);
  setTrackMoods = (id: number, moods: Array<{ mood: string; weight: number }>): Promise<AdminTrack> =>
    this.#change('PUT', `/api/admin/tracks/${id}/moods`, { moods });
  /** Starts a rescan of the music folders; progress and the result arrive in the `library` state area. */
  scanLibrary = (): Promise<{ scanning: boolean; joined: boolean }> => this.#change('POST', '/api/admin/library/scan');
  model = (): Promise<ModelReport> => this.#get('/api/admin/model');
  /** The newest blurred camera frame; rejects with the daemon's reason (404) when there is none. */
  cameraPreview = async (): Promise<CameraPreview> => {
    const { blob, headers } = await this.#guard(httpBlob('/api/admin/camera/preview.jpg'));
    const at = Number(headers.get('x-captured-at'));
    return { url: URL.createObjectURL(blob), capturedAt: Number.isFinite(at) && at > 0 ? at : null };
  };
  /** The faces of the newest analysed camera frame; rejects with the daemon's reason (404) when there is none. */
  cameraFaces = (): Promise<CameraFaces> => this.#get('/api/admin/camera/faces');
  configSchema = (): Promise<SchemaNode> => this.#get('/api/admin/config/schema');
  settings = (): Promise<{ config: Record<string, unknown>; overrides: Record<string, unknown>; safeMode: string | null }> =>
    this.#get('/api/admin/settings');
  saveSettings = (overrides: Record<string, unknown>): Promise<SettingsSave> => this.#change('PUT', '/api/admin/settings', { overrides });

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

/** Plays as CSV (RFC 4180), one row per play, times as ISO 8601 UTC. */
export function playsToCsv(plays: Play[]): string {
  const cell = (value: string | number | null): string => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
  const rows = plays.map((p) =>
    [p.id, p.trackId, p.userId, p.reason, p.mood, iso(p.startedAt), iso(p.endedAt), p.outcome].map(cell).join(','),
  );
  return ['id,trackId,userId,reason,mood,startedAt,endedAt,outcome', ...rows].join('\r\n') + '\r\n';
}
