-- What the /serve proxy measured, per endpoint, model version, 10-second bucket and server: each server adds up its
-- own requests in memory and writes its bucket rows (only it writes them); a window's figures are the sum of its
-- buckets across servers. latency holds a fixed log-scale histogram of the latencies, as JSON {"index": count}.
CREATE TABLE endpoint_metrics (
  endpoint_id VARCHAR(40) NOT NULL,
  version INT NOT NULL,
  bucket BIGINT NOT NULL,
  server VARCHAR(40) NOT NULL,
  requests BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  latency TEXT NOT NULL,
  PRIMARY KEY (endpoint_id, version, bucket, server)
);
CREATE INDEX endpoint_metrics_bucket ON endpoint_metrics (bucket);
