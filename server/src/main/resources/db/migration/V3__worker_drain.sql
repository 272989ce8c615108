-- A drain asked through the API; the worker learns it from the answer to its next heartbeat.
ALTER TABLE workers ADD COLUMN drain_requested BOOLEAN NOT NULL DEFAULT FALSE;
