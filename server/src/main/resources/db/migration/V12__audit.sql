-- The audit log: one row per change made through the API, hash-chained (hash = sha256 of the row's fields and
-- prev_hash, the hash of the row before). audit_head is the chain's end, locked by the writer that appends a
-- batch, so that several servers on one database extend one chain. See docs/security.md, "Audit log".
CREATE TABLE audit (
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  user_name VARCHAR(100),
  user_id VARCHAR(40),
  token_kind VARCHAR(16),
  action VARCHAR(300) NOT NULL,
  object_type VARCHAR(40),
  object_id VARCHAR(300),
  project VARCHAR(100),
  address VARCHAR(64),
  status INT NOT NULL,
  detail VARCHAR(300),
  prev_hash CHAR(64) NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (seq)
);
CREATE INDEX audit_project ON audit (project, seq);
CREATE INDEX audit_user ON audit (user_name, seq);
CREATE INDEX audit_object ON audit (object_type, object_id, seq);

CREATE TABLE audit_head (
  id INT NOT NULL,
  seq BIGINT NOT NULL,
  hash CHAR(64) NOT NULL,
  PRIMARY KEY (id)
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
