-- Foundation: PostGIS, the system schema (yitu), dataset tables (data), import staging (staging).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS yitu;
CREATE SCHEMA IF NOT EXISTS data;
CREATE SCHEMA IF NOT EXISTS staging;

-- The admin hierarchy: county > town/subdistrict > village/community > grid.
-- A child's code starts with its parent's code (GB/T 2260 6 digits, town 9, village 12, grid 15).
CREATE TABLE yitu.regions (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6,15}$'),
  stat_code   text NOT NULL CHECK (stat_code ~ '^[0-9]{12}$'),
  level       text NOT NULL CHECK (level IN ('county', 'town', 'village', 'grid')),
  kind        text NOT NULL,
  parent_code text REFERENCES yitu.regions (code),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  population  integer,
  area_m2     double precision,
  geom        geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX regions_geom_idx ON yitu.regions USING gist (geom);
CREATE INDEX regions_parent_idx ON yitu.regions (parent_code);
CREATE INDEX regions_level_idx ON yitu.regions (level);

-- Departments own datasets; the access issue adds jurisdiction, roles and grants.
CREATE TABLE yitu.departments (
  id      text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,62}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL
);

-- Jobs: imports now, processes (OGC API – Processes) later.
CREATE TABLE yitu.jobs (
  id          uuid PRIMARY KEY,
  kind        text NOT NULL,
  status      text NOT NULL CHECK (status IN ('accepted', 'running', 'successful', 'failed', 'dismissed')),
  progress    real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  message     text,
  input       jsonb NOT NULL DEFAULT '{}',
  result      jsonb,
  error       jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  finished_at timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_created_idx ON yitu.jobs (created_at DESC);

-- The catalog: one row per dataset; the features live in data.<id>.
CREATE TABLE yitu.datasets (
  id               text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,62}$'),
  kind             text NOT NULL DEFAULT 'features' CHECK (kind IN ('features', 'table', 'statistics')),
  title_zh         text NOT NULL DEFAULT '',
  title_en         text NOT NULL DEFAULT '',
  description_zh   text NOT NULL DEFAULT '',
  description_en   text NOT NULL DEFAULT '',
  department_id    text REFERENCES yitu.departments (id),
  theme            text NOT NULL DEFAULT 'current' CHECK (theme IN ('current', 'planning', 'management', 'socioeconomic', 'sensing')),
  keywords         text[] NOT NULL DEFAULT '{}',
  licence          text NOT NULL DEFAULT '',
  classification   text NOT NULL DEFAULT 'internal' CHECK (classification IN ('public', 'internal', 'confidential')),
  update_frequency text NOT NULL DEFAULT 'once',
  source           text NOT NULL DEFAULT '',
  contact          text NOT NULL DEFAULT '',
  editable         boolean NOT NULL DEFAULT false,
  geometry_type    text,
  columns          jsonb NOT NULL DEFAULT '[]',
  key_column       text,
  temporal_column  text,
  current_version  integer NOT NULL DEFAULT 0,
  feature_count    bigint NOT NULL DEFAULT 0,
  bbox             double precision[],
  temporal_start   timestamptz,
  temporal_end     timestamptz,
  usage_count      bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_theme_idx ON yitu.datasets (theme);
CREATE INDEX datasets_department_idx ON yitu.datasets (department_id);

-- Every import or edit makes a version; data.<id> rows carry _vfrom/_vto version numbers.
CREATE TABLE yitu.dataset_versions (
  dataset_id    text NOT NULL REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  version       integer NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('create', 'append', 'replace', 'upsert', 'edit', 'rollback')),
  message       text NOT NULL DEFAULT '',
  job_id        uuid,
  feature_count bigint NOT NULL,
  added         bigint NOT NULL DEFAULT 0,
  removed       bigint NOT NULL DEFAULT 0,
  changed       bigint NOT NULL DEFAULT 0,
  source        jsonb,
  report        jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset_id, version)
);
