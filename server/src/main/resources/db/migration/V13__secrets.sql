-- Project secrets: each value sealed with AES-GCM (a fresh nonce per value, the project and name bound as associated
-- data), as base64 of nonce || ciphertext || tag; key_id names the key that sealed it, so that keys can rotate.
CREATE TABLE secrets (
  project VARCHAR(100) NOT NULL,
  name VARCHAR(128) NOT NULL,
  ciphertext MEDIUMTEXT NOT NULL,
  key_id VARCHAR(64) NOT NULL,
  created_by VARCHAR(100) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  updated_by VARCHAR(100) NOT NULL,
  updated_by_id VARCHAR(40),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project, name)
);
