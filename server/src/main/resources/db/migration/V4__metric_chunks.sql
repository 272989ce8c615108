-- Metric points stored packed: one row per log batch and metric name (a JSON array of [seq, value, timeMs, x]),
-- instead of one row per point. Writing and reading 100 000 points is two orders of magnitude cheaper.
-- The metrics table stays for points written before this migration.
CREATE TABLE metric_chunks (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  name VARCHAR(200) NOT NULL,
  batch_seq BIGINT NOT NULL,
  points MEDIUMTEXT NOT NULL,
  PRIMARY KEY (run_id, step, attempt, name, batch_seq)
);
