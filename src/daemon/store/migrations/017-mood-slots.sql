-- The room's mood summed per 5-minute slot (UTC): how long the room was in each mood within it.
-- The dashboard's charts of a day or a week read these few rows instead of every mood change.
-- The store keeps it with each change it records, and fills it from the mood log at open when it
-- is empty (as right after this migration).
CREATE TABLE mood_slots (
  slot INTEGER NOT NULL,
  mood TEXT    NOT NULL,
  ms   INTEGER NOT NULL CHECK (ms >= 0),
  PRIMARY KEY (slot, mood)
) WITHOUT ROWID;
