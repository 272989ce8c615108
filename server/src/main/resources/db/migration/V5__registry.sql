-- Versioning and the registry: datasets and models with their versions, aliases with every move, the files of
-- each version (content addressed in the blob store), and the files each step read (for lineage).

CREATE TABLE datasets (
  name VARCHAR(128) NOT NULL,
  project VARCHAR(100) NOT NULL,
  description TEXT,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE dataset_versions (
  dataset VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  content_sha256 CHAR(64) NOT NULL,
  source_run VARCHAR(40),
  source_step VARCHAR(255),
  description TEXT,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (dataset, version)
);
CREATE UNIQUE INDEX dataset_versions_content ON dataset_versions (dataset, content_sha256);

CREATE TABLE models (
  name VARCHAR(128) NOT NULL,
  project VARCHAR(100) NOT NULL,
  description TEXT,
  tags TEXT NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE model_versions (
  model VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  content_sha256 CHAR(64) NOT NULL,
  source_run VARCHAR(40) NOT NULL,
  source_step VARCHAR(255) NOT NULL,
  description TEXT,
  tags TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  status_by VARCHAR(200),
  status_note TEXT,
  status_at BIGINT,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE UNIQUE INDEX model_versions_content ON model_versions (model, content_sha256);
CREATE INDEX model_versions_run ON model_versions (source_run);

-- kind: DATASET or MODEL; path_sha256 keys the (possibly long) path.
CREATE TABLE registry_files (
  kind VARCHAR(8) NOT NULL,
  name VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  path VARCHAR(1024) NOT NULL,
  path_sha256 CHAR(64) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  PRIMARY KEY (kind, name, version, path_sha256)
);
CREATE INDEX registry_files_sha256 ON registry_files (sha256);

CREATE TABLE model_aliases (
  model VARCHAR(128) NOT NULL,
  alias VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  moved_by VARCHAR(200) NOT NULL,
  moved_at BIGINT NOT NULL,
  PRIMARY KEY (model, alias)
);

-- Every move of an alias, kept for good: from_version null when it was set first, to_version null when removed.
-- seq numbers the moves of one alias (1, 2, ...), written under the model's row lock.
CREATE TABLE model_alias_moves (
  model VARCHAR(128) NOT NULL,
  alias VARCHAR(64) NOT NULL,
  seq INT NOT NULL,
  from_version INT,
  to_version INT,
  moved_by VARCHAR(200) NOT NULL,
  moved_at BIGINT NOT NULL,
  PRIMARY KEY (model, alias, seq)
);

-- The files a step read: staged inputs, with where they came from (step:<name>, artifact, dataset:<name>/<v>,
-- model:<name>/<v>). producer is the matrix step that produced the file when the input is fed by one, else ''.
CREATE TABLE step_inputs (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  input_name VARCHAR(200) NOT NULL,
  producer VARCHAR(255) NOT NULL,
  path VARCHAR(1024) NOT NULL,
  path_sha256 CHAR(64) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  source VARCHAR(400) NOT NULL,
  PRIMARY KEY (run_id, step, input_name, path_sha256)
);
CREATE INDEX step_inputs_sha256 ON step_inputs (sha256);
