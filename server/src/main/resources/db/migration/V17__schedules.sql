-- Schedules: a pipeline run on a cron, an interval or each new version of a dataset. Each row is a Temporal Schedule
-- (id schedule-<id>); its paused state and next fire times are Temporal's, its definition is here. A fire that could
-- record no run (its owner lost write access, its pipeline is gone) leaves its reason in last_problem.
CREATE TABLE schedules (
  id VARCHAR(40) NOT NULL,
  project VARCHAR(100) NOT NULL,
  name VARCHAR(100) NOT NULL,
  pipeline VARCHAR(100) NOT NULL,
  pipeline_version INT,
  bundle CHAR(64),
  parameters TEXT NOT NULL,
  cron VARCHAR(200),
  every_spec VARCHAR(40),
  on_dataset VARCHAR(200),
  timezone VARCHAR(64),
  jitter VARCHAR(40),
  overlap VARCHAR(20) NOT NULL,
  catchup_window VARCHAR(40),
  note VARCHAR(1000),
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_dataset_version INT,
  last_problem VARCHAR(1000),
  last_problem_at BIGINT,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX schedules_name ON schedules (project, name);
CREATE INDEX schedules_dataset ON schedules (on_dataset);

-- A run started by a schedule: which one, and what fired it ({"kind": "schedule"|"dataset", ...} as JSON text).
ALTER TABLE runs ADD COLUMN schedule_id VARCHAR(40);
ALTER TABLE runs ADD COLUMN trigger_info VARCHAR(1000);
CREATE INDEX runs_schedule ON runs (schedule_id, id);
