import { t, type AdminKey } from './admin-i18n.js';

/** The database's tables by what they hold, in an owner's words; a table this panel does not know keeps its name. */
const TABLE_WORDS: Readonly<Record<string, AdminKey>> = {
  audit_log: 'admin.disk.table.auditLog',
  blocked_music: 'admin.disk.table.blockedMusic',
  cards: 'admin.disk.table.cards',
  feedback: 'admin.disk.table.feedback',
  guest_likes: 'admin.disk.table.guestLikes',
  mood_log: 'admin.disk.table.moodLog',
  mood_slots: 'admin.disk.table.moodSlots',
  personal_calibrations: 'admin.disk.table.calibrations',
  plays: 'admin.disk.table.plays',
  secrets: 'admin.disk.table.secrets',
  sessions: 'admin.disk.table.sessions',
  settings: 'admin.disk.table.settings',
  stations: 'admin.disk.table.stations',
  taste_models: 'admin.disk.table.tastes',
  track_analyses: 'admin.disk.table.analyses',
  track_moods: 'admin.disk.table.trackMoods',
  tracks: 'admin.disk.table.tracks',
  users: 'admin.disk.table.users',
  sqlite_schema: 'admin.disk.table.schema',
  sqlite_master: 'admin.disk.table.schema',
  sqlite_sequence: 'admin.disk.table.schema',
};

/** A table's name in an owner's words ("plays", "Wiedergaben"). */
export const tableWords = (name: string): string => {
  const key = TABLE_WORDS[name];
  return key === undefined ? name : t(key);
};
