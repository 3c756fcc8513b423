-- What the recommender learned from plays: one logistic model per person (`owner` `person:<id>`)
-- and one for the room (`owner` `room`, from everyone's plays). Weights by feature name, as JSON.
-- Deleting the person deletes their model.
CREATE TABLE taste_models (
  owner      TEXT    PRIMARY KEY,
  user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
  weights    TEXT    NOT NULL CHECK (json_valid(weights)),
  -- Per feature, the sum of its squared gradients: how far its next step goes (AdaGrad).
  squares    TEXT    NOT NULL CHECK (json_valid(squares)),
  examples   REAL    NOT NULL CHECK (examples >= 0),
  updated_at INTEGER NOT NULL,
  CHECK ((owner = 'room' AND user_id IS NULL) OR owner = 'person:' || user_id)
) WITHOUT ROWID;
