import type { AnalysisRepository, AuditRepository, CardRepository, PlayRepository, TrackRepository, UserRepository } from './store.js';
import type { MaintenanceRepository } from './store-maintenance.js';
import type { StatsRepository } from './store-stats.js';

/**
 * What the delivery layers (`http/`, `mqtt/`) may read of the store, and all they may import of
 * `store/`: the records as they are read, and read-only views of the repositories. A change is a
 * command of the service that owns it, which writes the store and the audit (`.dependency-cruiser.cjs`,
 * rule `delivery-only-reads-the-store`).
 */
export interface StoreReads {
  readonly tracks: Pick<TrackRepository, 'get' | 'list' | 'moods' | 'count' | 'allWithMoods' | 'fileCounts' | 'filesOf'>;
  readonly analyses: Pick<AnalysisRepository, 'get'>;
  readonly cards: Pick<CardRepository, 'get' | 'forUser'>;
  readonly users: Pick<UserRepository, 'get' | 'byName' | 'list'>;
  readonly plays: Pick<PlayRepository, 'get' | 'list' | 'note' | 'feedbackFor'>;
  readonly audit: Pick<AuditRepository, 'list'>;
  readonly stats: Omit<StatsRepository, 'logMood' | 'logMoods'>;
  readonly maintenance: Pick<MaintenanceRepository, 'use'>;
}

/** The statistics of plays and moods, read-only. */
export type StatsReads = StoreReads['stats'];

export type { AuditEntry, Card, Page, Play, Role, Session, Track, TrackMood, User } from './store.js';
export type { MoodLogEntry, TrackPlayStats } from './store-stats.js';
export { MOOD_SLOT_MS } from './store-stats.js';
/** Who acts: the delivery layers name the caller of a command with `actors`. */
export { actors, type Actor } from './audit.js';
/** The codes the store raises, for the list of every code (`http/error-codes.ts`). */
export { STORE_ERROR_CODES } from './store-error.js';
