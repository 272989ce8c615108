-- Outputs of attempts (content addressed in the blob store), what steps hand on, caching, approvals, and
-- registered pipelines.

CREATE TABLE artifacts (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  path VARCHAR(1024) NOT NULL,
  path_sha256 CHAR(64) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, step, attempt, path_sha256)
);
CREATE INDEX artifacts_sha256 ON artifacts (sha256);

-- What a finished step hands on (JSON list of {path, sha256, size}) and, for cache: true, its cache key.
ALTER TABLE steps ADD COLUMN outputs MEDIUMTEXT;
ALTER TABLE steps ADD COLUMN cache_key CHAR(64);
ALTER TABLE steps ADD COLUMN cached_from VARCHAR(40);
CREATE INDEX steps_cache_key ON steps (cache_key, status);

CREATE TABLE approvals (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  approved BOOLEAN NOT NULL,
  decided_by VARCHAR(200) NOT NULL,
  note TEXT,
  decided_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, step)
);

CREATE TABLE pipeline_versions (
  project VARCHAR(100) NOT NULL,
  name VARCHAR(100) NOT NULL,
  version INT NOT NULL,
  spec MEDIUMTEXT NOT NULL,
  spec_sha256 CHAR(64) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project, name, version)
);
CREATE UNIQUE INDEX pipeline_versions_content ON pipeline_versions (project, name, spec_sha256);
