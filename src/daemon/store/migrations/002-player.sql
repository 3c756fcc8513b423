-- Why each track was played, in words ("fits calm", "you liked it"), next to the coarse `reason`.
ALTER TABLE plays ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- For matching sidecar mood files by artist and title, whatever the case.
CREATE INDEX tracks_artist_title ON tracks (artist COLLATE NOCASE, title COLLATE NOCASE);

-- Secrets (Spotify tokens): kept apart from `settings`, which the admin panel lists. Never logged.
CREATE TABLE secrets (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
