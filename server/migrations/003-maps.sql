-- One map: stored dataset styles and saved (thematic) maps.

-- The style a dataset is drawn with when it has been edited; without a row the default applies
-- (computed from its geometry type, theme and fields). Removed with the dataset.
CREATE TABLE yitu.dataset_styles (
  dataset_id text PRIMARY KEY REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  style      jsonb NOT NULL,
  revision   integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A saved map: a view and an ordered list of layers (bottom first), each naming a dataset with its
-- style, CQL2 filter, labels and legend title. Layers are one JSON array rather than rows: a map is
-- read and written whole, and a layer outlives its dataset (no foreign key: a removed dataset's
-- layer is reported missing and skipped, and comes back if the dataset is imported again).
CREATE TABLE yitu.maps (
  id             text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$'),
  title_zh       text NOT NULL DEFAULT '',
  title_en       text NOT NULL DEFAULT '',
  description_zh text NOT NULL DEFAULT '',
  description_en text NOT NULL DEFAULT '',
  visibility     text NOT NULL CHECK (visibility IN ('public', 'private')),
  -- Reading a private map needs ?token=<share_token> (until the access issue brings users).
  share_token    text NOT NULL,
  view           jsonb NOT NULL,
  layers         jsonb NOT NULL,
  -- Filled by the access issue; null for maps made before it.
  owner          text,
  -- Raised by every change: the map's ETag, for If-Match.
  revision       integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX maps_public_idx ON yitu.maps (updated_at DESC) WHERE visibility = 'public';
