-- Users, projects, teams and roles. A token now belongs to a user (or a worker, or one attempt); a project is a
-- row of its own, and a role in it is given to a user or a team. Team 'everyone' holds every user implicitly.

CREATE TABLE users (
  id VARCHAR(40) NOT NULL,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(320),
  password_hash VARCHAR(200),
  admin BOOLEAN NOT NULL DEFAULT FALSE,
  oidc_subject VARCHAR(300),
  created_by VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX users_name ON users (name);
CREATE UNIQUE INDEX users_oidc ON users (oidc_subject);

CREATE TABLE projects (
  name VARCHAR(100) NOT NULL,
  description TEXT,
  created_by VARCHAR(100) NOT NULL,
  created_by_id VARCHAR(40),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE teams (
  name VARCHAR(100) NOT NULL,
  description TEXT,
  created_by VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE team_members (
  team VARCHAR(100) NOT NULL,
  user_id VARCHAR(40) NOT NULL,
  added_by VARCHAR(100) NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (team, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

-- member_kind: USER (member is a user id) or TEAM (member is a team name). role: viewer, editor or admin.
-- can_approve / can_promote: the permissions to decide gated steps and move protected aliases, which a project
-- admin has anyway and anyone else only when given.
CREATE TABLE project_members (
  project VARCHAR(100) NOT NULL,
  member_kind VARCHAR(8) NOT NULL,
  member VARCHAR(100) NOT NULL,
  role VARCHAR(16) NOT NULL,
  can_approve BOOLEAN NOT NULL DEFAULT FALSE,
  can_promote BOOLEAN NOT NULL DEFAULT FALSE,
  granted_by VARCHAR(100) NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (project, member_kind, member)
);
CREATE INDEX project_members_member ON project_members (member_kind, member);

ALTER TABLE tokens ADD COLUMN user_id VARCHAR(40);
ALTER TABLE tokens ADD COLUMN pools TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
CREATE INDEX tokens_user ON tokens (user_id);

INSERT INTO teams (name, description, created_by, created_at)
  VALUES ('everyone', 'every user, implicitly', 'baton', 0);
-- V10_1 moves what was there before into these tables.
