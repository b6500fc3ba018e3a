-- Statistical tables: values keyed by region code and period, in long format.
--
-- Each table is a catalog entry in yitu.datasets (kind 'statistics', so the catalog lists and
-- searches it with the others) and its values are rows of one shared long table rather than a wide
-- table per dataset, because:
--   * indicator names stay what the bureau wrote (常住人口, GDP（亿元）): no SQL identifiers to derive,
--     no DDL per import, no ALTER TABLE when a new year adds a column;
--   * every question asked of statistics has the same shape (indicator × period × region), which
--     is also the shape the indicators domain computes (SDG values per region and period), so one
--     index serves the thematic-map and values queries of every table;
--   * it is Citus-friendly: one table distributed by region_code, which every row carries, and
--     co-located with other region-keyed tables; the foreign keys point only at small catalog
--     tables (reference tables under Citus). region_code deliberately has no foreign key to
--     yitu.regions: statistics outlive boundary changes (a merged town keeps its past figures),
--     and the import checks the codes instead.
-- Statistical tables are small (the import refuses more than 1,000,000 rows), so the 5–100×
-- row count of the long format costs little. Versions work as for feature datasets: an import
-- closes the rows it replaces (_vto) and adds rows (_vfrom); the current rows have _vto NULL.
CREATE TABLE yitu.stat_values (
  dataset_id  text NOT NULL REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  -- Codes (6–15 digits) and periods (2023 or 2023-05) are checked by the import; per-row regex
  -- CHECKs would add about a second per 500,000 values on the embedded database.
  region_code text NOT NULL,
  period      text NOT NULL,
  indicator   text NOT NULL,
  value       double precision,
  _vfrom      integer NOT NULL,
  _vto        integer
);
-- One current value per (table, period, region, indicator). Also the index of the reads: a period's
-- values (thematic maps), rows in (period, region) order (values pages, CSV export), replaced rows.
CREATE UNIQUE INDEX stat_values_current_idx ON yitu.stat_values (dataset_id, period, region_code, indicator) WHERE _vto IS NULL;
-- All versions of a table by region: past versions, deletes (the foreign key's cascade), region filters.
CREATE INDEX stat_values_region_idx ON yitu.stat_values (dataset_id, region_code);

-- The indicators (columns) of a statistical table, with their titles and units, in file order.
CREATE TABLE yitu.stat_indicators (
  dataset_id text NOT NULL REFERENCES yitu.datasets (id) ON DELETE CASCADE,
  indicator  text NOT NULL,
  position   integer NOT NULL,
  title_zh   text NOT NULL DEFAULT '',
  title_en   text NOT NULL DEFAULT '',
  unit       text NOT NULL DEFAULT '',
  PRIMARY KEY (dataset_id, indicator)
);
