-- Guests' likes from their phones, one row a phone's like of a song as it played: the song and the
-- time only, never the phone, so that the charts count them beside the people's likes.
CREATE TABLE guest_likes (
  id       INTEGER PRIMARY KEY,
  track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
  at       INTEGER NOT NULL
);
CREATE INDEX guest_likes_at ON guest_likes (at);
