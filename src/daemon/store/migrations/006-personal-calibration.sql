-- A person's expression calibration (src/vision/personal-calibration.ts): numbers only, never a
-- picture. Per recorded face the expression asked for, the model's 7 logits and its 192-value
-- embedding; and the head fitted on them. Deleting the person deletes it.
CREATE TABLE personal_calibrations (
  user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- The head only holds for the model whose outputs it was fitted on.
  model_sha256 TEXT    NOT NULL CHECK (length(model_sha256) = 64),
  samples      TEXT    NOT NULL CHECK (json_valid(samples)),
  head         TEXT    NOT NULL CHECK (json_valid(head)),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
