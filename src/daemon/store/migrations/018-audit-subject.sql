-- The person an audit line is about (their account's id), so that deleting them can take their
-- name out of it: `target` keeps the name as it was written, also after a rename. No foreign key:
-- the line outlives the account, pseudonymised.
ALTER TABLE audit_log ADD COLUMN subject_id INTEGER;
UPDATE audit_log SET subject_id = (SELECT id FROM users WHERE users.name = audit_log.target)
  WHERE target <> '' AND action IN ('user.create', 'user.update', 'user.pin', 'user.export', 'user.delete',
    'history.remove', 'auth.sign-in', 'auth.failed', 'auth.unlock', 'card.link');
CREATE INDEX audit_subject ON audit_log (subject_id) WHERE subject_id IS NOT NULL;
