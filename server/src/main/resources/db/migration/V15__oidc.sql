-- OIDC sign-in. oidc_flows: the sign-ins under way (one row from the redirect to the issuer until its callback, a
-- few minutes at most), so the callback may reach any server of the cluster; a row is used once. The state is kept
-- as its sha256 only. oidc_team_members: which team memberships the issuer's groups claim gave (a sign-in whose claim
-- no longer names a group takes away that membership, and only a membership it gave).

CREATE TABLE oidc_flows (
  state_hash VARCHAR(64) NOT NULL,
  verifier VARCHAR(128) NOT NULL,
  nonce VARCHAR(128) NOT NULL,
  redirect VARCHAR(2048),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (state_hash)
);
CREATE INDEX oidc_flows_created ON oidc_flows (created_at);

CREATE TABLE oidc_team_members (
  team VARCHAR(100) NOT NULL,
  user_id VARCHAR(40) NOT NULL,
  PRIMARY KEY (team, user_id)
);
CREATE INDEX oidc_team_members_user ON oidc_team_members (user_id);
