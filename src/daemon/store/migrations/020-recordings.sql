-- One song, many files: copies of one recording (an album in two folders, an MP3 beside its FLAC,
-- a re-rip) are one song. `same_as` names the file that plays for the recording (NULL on that file
-- itself, and on a file that is missing); `preferred` is the owner's pick of it; `recording_mbid`
-- the file's MusicBrainz recording id, when tagged. Regrouped after every scan.
ALTER TABLE tracks ADD COLUMN recording_mbid TEXT;
ALTER TABLE tracks ADD COLUMN same_as INTEGER REFERENCES tracks (id) ON DELETE SET NULL;
ALTER TABLE tracks ADD COLUMN preferred INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1));
CREATE INDEX tracks_same_as ON tracks (same_as) WHERE same_as IS NOT NULL;
