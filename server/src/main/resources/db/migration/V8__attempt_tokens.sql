-- Attempt-scoped tokens: a token of kind 'attempt' belongs to one attempt of one step of one run. Its name is the
-- run's submitter (it reads with their rights); it is revoked when the attempt ends.
ALTER TABLE tokens ADD COLUMN run_id VARCHAR(40);
ALTER TABLE tokens ADD COLUMN step VARCHAR(255);
ALTER TABLE tokens ADD COLUMN attempt INT;
CREATE INDEX tokens_attempt ON tokens (run_id, step, attempt);
