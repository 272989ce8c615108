-- What a step logs through MLflow's tracking API (docs/mlflow.md): its attempt's parameters (immutable, as in MLflow)
-- and tags (set again: replaced). Sizes as MLflow's: a key of 250 characters, a parameter's value of 6000, a tag's
-- value of 8000 (checked by the server; TEXT here keeps the rows small).
CREATE TABLE attempt_params (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  name VARCHAR(250) NOT NULL,
  param_value TEXT NOT NULL,
  PRIMARY KEY (run_id, step, attempt, name)
);

CREATE TABLE attempt_tags (
  run_id VARCHAR(40) NOT NULL,
  step VARCHAR(255) NOT NULL,
  attempt INT NOT NULL,
  name VARCHAR(250) NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (run_id, step, attempt, name)
);
