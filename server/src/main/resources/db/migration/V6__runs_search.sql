-- Searching runs by parameter and metric (GET /api/v1/runs?param=...&metric=...&sort=metric.<name>).
-- Each parameter of a run as a row: its value read as a number where it is one (a JSON number, or a string that is
-- a decimal number) and as text (strings as they are, numbers and booleans as JSON writes them; NULL when longer
-- than 500 characters: such values cannot be searched). Written with the run; V6_1 fills it for earlier runs.
CREATE TABLE run_parameters (
  run_id VARCHAR(40) NOT NULL,
  name VARCHAR(200) NOT NULL,
  value_number DOUBLE,
  value_text VARCHAR(500),
  PRIMARY KEY (run_id, name)
);
-- A filter is one range of one of these indexes; the run id at the end orders ties and pages by cursor.
CREATE INDEX run_parameters_number ON run_parameters (name, value_number, run_id);
CREATE INDEX run_parameters_text ON run_parameters (name, value_text, run_id);
CREATE INDEX run_metrics_value ON run_metrics (name, metric_value, run_id);
