-- Songs and artists the owner blocked: the music never picks them and guests cannot ask for them.
-- A song's block goes with its track; an artist's is kept by name (`artist_key`: trimmed, lower
-- case), so their songs scanned later are blocked too.
CREATE TABLE blocked_music (
  id INTEGER PRIMARY KEY,
  track_id INTEGER REFERENCES tracks (id) ON DELETE CASCADE,
  artist TEXT,
  artist_key TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK ((track_id IS NULL) <> (artist_key IS NULL))
);
CREATE UNIQUE INDEX blocked_track ON blocked_music (track_id) WHERE track_id IS NOT NULL;
CREATE UNIQUE INDEX blocked_artist ON blocked_music (artist_key) WHERE artist_key IS NOT NULL;
-- What a file's tags say of its lyrics: 1 explicit, 0 clean, NULL nothing (most files).
ALTER TABLE tracks ADD COLUMN explicit INTEGER;
