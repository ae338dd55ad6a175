-- Issue 15: what people with a token bring in, kept in the `app` schema, which no import swaps.
-- Tokens (only their SHA-256), uploaded tables with every version, and the audit log of who changed what.

CREATE TABLE app.token (
  name text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('editor', 'admin')),
  hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- One uploaded table: `kind` says what it holds ('indicators' here; offer lists bring their own kind).
CREATE TABLE app.upload_table (
  id text PRIMARY KEY,
  kind text NOT NULL,
  current_version integer,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every accepted version of a table: the original's name and checksum (the file itself is in UPLOADS_DIR), the
-- metadata sent with it and the normalised content, so that any version can be made current again.
CREATE TABLE app.upload_version (
  table_id text NOT NULL REFERENCES app.upload_table (id),
  version integer NOT NULL,
  sha256 text NOT NULL,
  file_name text NOT NULL,
  meta jsonb NOT NULL,
  content jsonb NOT NULL,
  summary jsonb NOT NULL DEFAULT '{}',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_id, version)
);

-- Who uploaded, replaced or rolled back what, and when. Its highest id is part of the data version, so every
-- change to uploaded data makes the answers kept in memory be built again.
CREATE TABLE app.audit_log (
  id serial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  table_id text,
  version integer,
  detail jsonb NOT NULL DEFAULT '{}'
);

-- The indicators uploaded tables bring, with their visibility: `internal` ones are shown only with a token.
CREATE TABLE app.uploaded_indicator (
  id text PRIMARY KEY,
  table_id text NOT NULL REFERENCES app.upload_table (id),
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal'))
);
