-- Baton's first schema. Portable between H2 (MySQL mode) and MySQL/MariaDB:
-- times are BIGINT epoch milliseconds, JSON is kept as text, no vendor JSON functions.

CREATE TABLE tokens (
  id VARCHAR(40) NOT NULL,
  name VARCHAR(200) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  admin BOOLEAN NOT NULL DEFAULT FALSE,
  secret_sha256 CHAR(64) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX tokens_secret ON tokens (secret_sha256);

CREATE TABLE bundles (
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  files INT NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (sha256)
);

CREATE TABLE runs (
  id VARCHAR(40) NOT NULL,
  project VARCHAR(100) NOT NULL,
  pipeline VARCHAR(100) NOT NULL,
  pipeline_version INT,
  status VARCHAR(16) NOT NULL,
  workflow_id VARCHAR(100) NOT NULL,
  bundle CHAR(64),
  spec MEDIUMTEXT NOT NULL,
  spec_sha256 CHAR(64) NOT NULL,
  parameters MEDIUMTEXT NOT NULL,
  plan MEDIUMTEXT NOT NULL,
  priority INT NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  message TEXT,
  resumed_from VARCHAR(40),
  reproduced_from VARCHAR(40),
  idempotency_key VARCHAR(200),
  PRIMARY KEY (id)
);
CREATE INDEX runs_status ON runs (status, id);
CREATE INDEX runs_project ON runs (project, id);
CREATE INDEX runs_pipeline ON runs (pipeline, id);
CREATE UNIQUE INDEX runs_idempotency ON runs (created_by, idempotency_key);

CREATE TABLE steps (
  run_id VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  step_order INT NOT NULL,
  pool VARCHAR(100) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason TEXT,
  exit_code INT,
  started_at BIGINT,
  finished_at BIGINT,
  PRIMARY KEY (run_id, name)
);

CREATE TABLE attempts (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  number INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  worker VARCHAR(200) NOT NULL,
  exit_code INT,
  message TEXT,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  log_bytes BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, step, number)
);

CREATE TABLE log_chunks (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  seq BIGINT NOT NULL,
  byte_offset BIGINT NOT NULL,
  content LONGBLOB NOT NULL,
  PRIMARY KEY (run_id, step, attempt, seq)
);

CREATE TABLE metrics (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  name VARCHAR(200) NOT NULL,
  seq BIGINT NOT NULL,
  metric_value DOUBLE NOT NULL,
  time_ms BIGINT NOT NULL,
  x TEXT,
  PRIMARY KEY (run_id, step, attempt, name, seq)
);

CREATE TABLE workers (
  name VARCHAR(200) NOT NULL,
  pools TEXT NOT NULL,
  cpus INT NOT NULL,
  memory_bytes BIGINT NOT NULL,
  gpus TEXT NOT NULL,
  slots INT NOT NULL,
  info TEXT NOT NULL,
  draining BOOLEAN NOT NULL DEFAULT FALSE,
  running TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  last_heartbeat_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

-- The last value of each metric of a run, kept up to date at ingest so that a run and the runs list can show it
-- (and later filter and sort by it) without scanning every point.
CREATE TABLE run_metrics (
  run_id VARCHAR(40) NOT NULL,
  name VARCHAR(200) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  seq BIGINT NOT NULL,
  time_ms BIGINT NOT NULL,
  metric_value DOUBLE NOT NULL,
  PRIMARY KEY (run_id, name)
);
