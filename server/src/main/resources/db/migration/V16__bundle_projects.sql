-- A bundle belongs to the projects it was uploaded to or run in (the same bytes are stored once): only a caller who
-- may read one of them can run it or download it.
CREATE TABLE bundle_projects (
  sha256 CHAR(64) NOT NULL,
  project VARCHAR(100) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (sha256, project)
);
CREATE INDEX bundle_projects_project ON bundle_projects (project);

INSERT INTO bundle_projects (sha256, project, created_by, created_at)
  SELECT DISTINCT r.bundle, r.project, 'baton', 0 FROM runs r WHERE r.bundle IS NOT NULL;
INSERT INTO bundle_projects (sha256, project, created_by, created_at)
  SELECT b.sha256, 'default', b.created_by, b.created_at FROM bundles b
  WHERE NOT EXISTS (SELECT 1 FROM bundle_projects p WHERE p.sha256 = b.sha256);

-- A pool limited to some projects runs only their steps; a pool without rows here is open to every project.
CREATE TABLE pool_projects (
  pool VARCHAR(100) NOT NULL,
  project VARCHAR(100) NOT NULL,
  PRIMARY KEY (pool, project)
);

-- Who submitted a run, as a user id beside the (unique, readable) user name.
ALTER TABLE runs ADD COLUMN created_by_id VARCHAR(40);
UPDATE runs SET created_by_id = (SELECT u.id FROM users u WHERE u.name = runs.created_by);
ALTER TABLE approvals ADD COLUMN decided_by_id VARCHAR(40);
