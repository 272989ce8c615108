-- Endpoints: a model version served by replicas on workers, kept running by an EndpointWorkflow. Each change of what
-- is served (model version, command, bundle, environment) is a new revision. What is asked for: revision (the one to
-- serve), target_canary_revision/percent, replicas, deleting. What is: traffic goes to the READY replicas of
-- stable_revision, and to those of canary_revision for canary_percent of the requests.
CREATE TABLE endpoints (
  id VARCHAR(40) NOT NULL,
  project VARCHAR(100) NOT NULL,
  name VARCHAR(100) NOT NULL,
  model VARCHAR(300) NOT NULL,
  model_project VARCHAR(100) NOT NULL,
  model_name VARCHAR(100) NOT NULL,
  alias VARCHAR(100),
  status VARCHAR(16) NOT NULL,
  message TEXT,
  pool VARCHAR(100) NOT NULL,
  replicas INT NOT NULL,
  revision INT NOT NULL,
  target_canary_revision INT,
  target_canary_percent INT,
  deleting BOOLEAN NOT NULL DEFAULT FALSE,
  stable_revision INT,
  canary_revision INT,
  canary_percent INT,
  created_by VARCHAR(200) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX endpoints_name ON endpoints (project, name);
CREATE INDEX endpoints_model ON endpoints (model_project, model_name);

CREATE TABLE endpoint_revisions (
  endpoint_id VARCHAR(40) NOT NULL,
  revision INT NOT NULL,
  version INT NOT NULL,
  spec MEDIUMTEXT NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (endpoint_id, revision)
);

CREATE TABLE endpoint_replicas (
  id VARCHAR(60) NOT NULL,
  endpoint_id VARCHAR(40) NOT NULL,
  revision INT NOT NULL,
  version INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  worker VARCHAR(200),
  address VARCHAR(300),
  message TEXT,
  started_at BIGINT NOT NULL,
  ready_at BIGINT,
  ended_at BIGINT,
  PRIMARY KEY (id)
);
CREATE INDEX endpoint_replicas_endpoint ON endpoint_replicas (endpoint_id, status);

CREATE TABLE endpoint_history (
  endpoint_id VARCHAR(40) NOT NULL,
  seq INT NOT NULL,
  version INT NOT NULL,
  revision INT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT,
  moved_by VARCHAR(200) NOT NULL,
  PRIMARY KEY (endpoint_id, seq)
);
