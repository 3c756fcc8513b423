-- foreign keys off (sqlite-migrations.ts): the people's table is rebuilt under the rows that refer to it.
-- Staff: the music's controls and what a shift needs in the admin panel, and the kiosk as a member;
-- nothing of the settings, the people, the backups or the update. Everyone keeps the role they had.
CREATE TABLE users_with_staff (
  id              INTEGER PRIMARY KEY,
  name            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  role            TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'member')),
  pin_hash        TEXT,
  must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  preferences     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(preferences)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
INSERT INTO users_with_staff (id, name, role, pin_hash, must_change_pin, disabled, preferences, created_at, updated_at)
  SELECT id, name, role, pin_hash, must_change_pin, disabled, preferences, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_with_staff RENAME TO users;
