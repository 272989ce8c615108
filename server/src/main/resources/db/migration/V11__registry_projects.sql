-- Datasets and models belong to a project and their names are unique within it: every table keyed by a dataset or
-- model name is keyed by (project, name) now, its rows moved to their object's project. Each table is rebuilt
-- (create, copy, drop, rename) because H2 and MariaDB do not share a syntax for changing a primary key.
-- created_by_id / moved_by_id / status_by_id: the user id beside the user name (null for rows written before).
-- protected_aliases: a JSON list of the aliases only the 'promote' permission (or a project admin) may move.

CREATE TABLE datasets_v11 (
  project VARCHAR(100) NOT NULL,
  name VARCHAR(128) NOT NULL,
  description TEXT,
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project, name)
);
INSERT INTO datasets_v11 (project, name, description, created_by, created_at)
  SELECT project, name, description, created_by, created_at FROM datasets;

CREATE TABLE dataset_versions_v11 (
  project VARCHAR(100) NOT NULL,
  dataset VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  content_sha256 CHAR(64) NOT NULL,
  source_run VARCHAR(40),
  source_step VARCHAR(255),
  description TEXT,
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project, dataset, version)
);
INSERT INTO dataset_versions_v11 (project, dataset, version, content_sha256, source_run, source_step, description,
    created_by, created_at)
  SELECT d.project, v.dataset, v.version, v.content_sha256, v.source_run, v.source_step, v.description, v.created_by,
    v.created_at
  FROM dataset_versions v JOIN datasets d ON d.name = v.dataset;

CREATE TABLE models_v11 (
  project VARCHAR(100) NOT NULL,
  name VARCHAR(128) NOT NULL,
  description TEXT,
  tags TEXT NOT NULL,
  protected_aliases VARCHAR(2000) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project, name)
);
INSERT INTO models_v11 (project, name, description, tags, protected_aliases, created_by, created_at, updated_at)
  SELECT project, name, description, tags, '["production"]', created_by, created_at, updated_at FROM models;

CREATE TABLE model_versions_v11 (
  project VARCHAR(100) NOT NULL,
  model VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  content_sha256 CHAR(64) NOT NULL,
  source_run VARCHAR(40) NOT NULL,
  source_step VARCHAR(255) NOT NULL,
  description TEXT,
  tags TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  status_by VARCHAR(200),
  status_by_id VARCHAR(40),
  status_note TEXT,
  status_at BIGINT,
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project, model, version)
);
INSERT INTO model_versions_v11 (project, model, version, content_sha256, source_run, source_step, description, tags,
    status, status_by, status_note, status_at, created_by, created_at)
  SELECT m.project, v.model, v.version, v.content_sha256, v.source_run, v.source_step, v.description, v.tags, v.status,
    v.status_by, v.status_note, v.status_at, v.created_by, v.created_at
  FROM model_versions v JOIN models m ON m.name = v.model;

CREATE TABLE registry_files_v11 (
  kind VARCHAR(8) NOT NULL,
  project VARCHAR(100) NOT NULL,
  name VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  path VARCHAR(1024) NOT NULL,
  path_sha256 CHAR(64) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  PRIMARY KEY (kind, project, name, version, path_sha256)
);
INSERT INTO registry_files_v11 (kind, project, name, version, path, path_sha256, sha256, size_bytes)
  SELECT f.kind, d.project, f.name, f.version, f.path, f.path_sha256, f.sha256, f.size_bytes
  FROM registry_files f JOIN datasets d ON d.name = f.name WHERE f.kind = 'DATASET';
INSERT INTO registry_files_v11 (kind, project, name, version, path, path_sha256, sha256, size_bytes)
  SELECT f.kind, m.project, f.name, f.version, f.path, f.path_sha256, f.sha256, f.size_bytes
  FROM registry_files f JOIN models m ON m.name = f.name WHERE f.kind = 'MODEL';

CREATE TABLE model_aliases_v11 (
  project VARCHAR(100) NOT NULL,
  model VARCHAR(128) NOT NULL,
  alias VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  moved_by VARCHAR(200) NOT NULL,
  moved_by_id VARCHAR(40),
  moved_at BIGINT NOT NULL,
  PRIMARY KEY (project, model, alias)
);
INSERT INTO model_aliases_v11 (project, model, alias, version, moved_by, moved_at)
  SELECT m.project, a.model, a.alias, a.version, a.moved_by, a.moved_at
  FROM model_aliases a JOIN models m ON m.name = a.model;

CREATE TABLE model_alias_moves_v11 (
  project VARCHAR(100) NOT NULL,
  model VARCHAR(128) NOT NULL,
  alias VARCHAR(64) NOT NULL,
  seq INT NOT NULL,
  from_version INT,
  to_version INT,
  moved_by VARCHAR(200) NOT NULL,
  moved_by_id VARCHAR(40),
  moved_at BIGINT NOT NULL,
  PRIMARY KEY (project, model, alias, seq)
);
INSERT INTO model_alias_moves_v11 (project, model, alias, seq, from_version, to_version, moved_by, moved_at)
  SELECT m.project, a.model, a.alias, a.seq, a.from_version, a.to_version, a.moved_by, a.moved_at
  FROM model_alias_moves a JOIN models m ON m.name = a.model;

DROP TABLE datasets;
DROP TABLE dataset_versions;
DROP TABLE models;
DROP TABLE model_versions;
DROP TABLE registry_files;
DROP TABLE model_aliases;
DROP TABLE model_alias_moves;

ALTER TABLE datasets_v11 RENAME TO datasets;
ALTER TABLE dataset_versions_v11 RENAME TO dataset_versions;
ALTER TABLE models_v11 RENAME TO models;
ALTER TABLE model_versions_v11 RENAME TO model_versions;
ALTER TABLE registry_files_v11 RENAME TO registry_files;
ALTER TABLE model_aliases_v11 RENAME TO model_aliases;
ALTER TABLE model_alias_moves_v11 RENAME TO model_alias_moves;

CREATE INDEX datasets_name ON datasets (name);
CREATE UNIQUE INDEX dataset_versions_content ON dataset_versions (project, dataset, content_sha256);
CREATE INDEX models_name ON models (name);
CREATE UNIQUE INDEX model_versions_content ON model_versions (project, model, content_sha256);
CREATE INDEX model_versions_run ON model_versions (source_run);
CREATE INDEX registry_files_sha256 ON registry_files (sha256);
