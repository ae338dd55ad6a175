-- Bookkeeping that survives every import: which imports ran, with which package, and how they ended.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS app;

CREATE TABLE app.import_run (
  id serial PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status text NOT NULL CHECK (status IN ('running', 'loaded', 'unchanged', 'failed')),
  package_dir text NOT NULL,
  package_sha256 text,
  city text,
  summary jsonb,
  error text
);
