-- Access: users, departments' jurisdiction, sessions, API tokens, grants, sharing requests,
-- notifications and the append-only audit trail.

-- A department's jurisdiction (region codes; empty = the whole county) and the case categories it
-- handles (codes of the cases issue's catalogue).
ALTER TABLE yitu.departments
  ADD COLUMN kind            text NOT NULL DEFAULT 'bureau' CHECK (kind IN ('county', 'bureau', 'town')),
  ADD COLUMN region_codes    text[] NOT NULL DEFAULT '{}',
  ADD COLUMN case_categories text[] NOT NULL DEFAULT '{}',
  ADD COLUMN created_at      timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();

-- People. Roles are held within the user's department; region_codes narrows the user's regional
-- scope below the department's jurisdiction (a grid worker's grid); empty = the department's.
CREATE TABLE yitu.users (
  id                   uuid PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z][a-z0-9._-]{2,63}$'),
  display_name         text NOT NULL DEFAULT '',
  email                text NOT NULL DEFAULT '',
  phone                text NOT NULL DEFAULT '',
  department_id        text REFERENCES yitu.departments (id),
  roles                text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['administrator', 'data_steward', 'analyst', 'supervisor', 'case_handler', 'grid_worker', 'leader']::text[]),
  region_codes         text[] NOT NULL DEFAULT '{}',
  password_hash        text,
  password_changed_at  timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  disabled             boolean NOT NULL DEFAULT false,
  failed_attempts      integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  last_sign_in_at      timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_department_idx ON yitu.users (department_id);

-- Browser sessions: the cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE yitu.sessions (
  id_hash      text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES yitu.users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  ip           text NOT NULL DEFAULT '',
  user_agent   text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON yitu.sessions (user_id);

-- API tokens for machines and scripts: `yitu_<id>_<secret>`; only the secret's SHA-256 is stored.
CREATE TABLE yitu.api_tokens (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES yitu.users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON yitu.api_tokens (user_id);

-- Read grants on a dataset to a department or one user; they end by themselves at expires_at.
CREATE TABLE yitu.dataset_grants (
  id            uuid PRIMARY KEY,
  dataset_id    text NOT NULL REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  department_id text REFERENCES yitu.departments (id),
  user_id       uuid REFERENCES yitu.users (id) ON DELETE CASCADE,
  granted_by    uuid REFERENCES yitu.users (id),
  request_id    uuid,
  reason        text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  revoked_by    uuid REFERENCES yitu.users (id),
  CHECK ((department_id IS NULL) <> (user_id IS NULL)),
  CHECK (expires_at > created_at)
);
CREATE INDEX dataset_grants_dataset_idx ON yitu.dataset_grants (dataset_id);
CREATE INDEX dataset_grants_department_idx ON yitu.dataset_grants (department_id) WHERE revoked_at IS NULL;
CREATE INDEX dataset_grants_user_idx ON yitu.dataset_grants (user_id) WHERE revoked_at IS NULL;

-- Department A asks for department B's dataset, with a purpose and a period.
CREATE TABLE yitu.share_requests (
  id              uuid PRIMARY KEY,
  dataset_id      text NOT NULL REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  requester_id    uuid NOT NULL REFERENCES yitu.users (id),
  department_id   text NOT NULL REFERENCES yitu.departments (id),
  purpose         text NOT NULL CHECK (length(purpose) BETWEEN 10 AND 2000),
  days            integer NOT NULL CHECK (days BETWEEN 1 AND 366),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
  decided_by      uuid REFERENCES yitu.users (id),
  decided_at      timestamptz,
  decision_reason text NOT NULL DEFAULT '',
  grant_id        uuid REFERENCES yitu.dataset_grants (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_requests_dataset_idx ON yitu.share_requests (dataset_id, status);
CREATE INDEX share_requests_department_idx ON yitu.share_requests (department_id, created_at DESC);

-- In-app notifications (a sharing request to decide, a decision, later: cases).
CREATE TABLE yitu.notifications (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES yitu.users (id) ON DELETE CASCADE,
  kind       text NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL DEFAULT '',
  link       text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON yitu.notifications (user_id, id DESC);

-- The audit trail: append-only. No foreign keys: an event outlives its user and its dataset.
CREATE TABLE yitu.audit_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_id       uuid,
  actor_name     text NOT NULL DEFAULT '',
  department_id  text,
  action         text NOT NULL,
  outcome        text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'failure', 'denied')),
  dataset_id     text,
  classification text,
  target_type    text,
  target_id      text,
  ip             text NOT NULL DEFAULT '',
  user_agent     text NOT NULL DEFAULT '',
  feature_count  bigint,
  requests       integer NOT NULL DEFAULT 1,
  details        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_at_idx ON yitu.audit_events (at DESC);
CREATE INDEX audit_events_actor_idx ON yitu.audit_events (actor_id, at DESC);
CREATE INDEX audit_events_dataset_idx ON yitu.audit_events (dataset_id, at DESC);
CREATE INDEX audit_events_department_idx ON yitu.audit_events (department_id, at DESC);

CREATE FUNCTION yitu.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'yitu.audit_events is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON yitu.audit_events
  FOR EACH ROW EXECUTE FUNCTION yitu.audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON yitu.audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION yitu.audit_events_append_only();

-- Who started a job (imports, later processes), and who created a dataset and a map.
ALTER TABLE yitu.jobs ADD COLUMN created_by uuid;
ALTER TABLE yitu.datasets ADD COLUMN created_by uuid;
-- A confidential dataset is listed in the sharing catalog (title, department, description only) so
-- that other departments can ask for it (有条件共享), unless its stewards make it unlisted (false).
ALTER TABLE yitu.datasets ADD COLUMN shareable boolean NOT NULL DEFAULT true;
