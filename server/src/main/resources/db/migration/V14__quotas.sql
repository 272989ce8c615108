-- Quotas and fair shares. A quota caps what one user (kind USER, by user name) or one project (kind PROJECT) runs at
-- once: max_steps steps, max_gpus GPUs (NULL: no cap). share: a project's weight in Temporal's fair queues (PROJECT
-- rows only; NULL is 1). An attempt over a cap waits on its worker, the step's reason says why.
CREATE TABLE quotas (
  kind VARCHAR(8) NOT NULL,
  name VARCHAR(100) NOT NULL,
  max_steps INT,
  max_gpus INT,
  share DOUBLE,
  set_by VARCHAR(100) NOT NULL,
  set_at BIGINT NOT NULL,
  PRIMARY KEY (kind, name)
);

-- The GPUs an attempt holds (its worker's report), counted against the GPU quotas while it runs.
ALTER TABLE attempts ADD COLUMN gpus INT NOT NULL DEFAULT 0;
-- Running attempts are few: quotas count them through this index, not by scanning every attempt ever made.
CREATE INDEX attempts_status ON attempts (status);
