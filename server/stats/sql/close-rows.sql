-- Closes (at version $2) the current rows of table $1: all of them, or with the pairs clause only those of the
-- (region, period) pairs in $3/$4. Returns the distinct pairs closed.
WITH closed AS (
  UPDATE yitu.stat_values v SET _vto = $2
  WHERE v.dataset_id = $1 AND v._vto IS NULL {{pairs}}
  RETURNING v.region_code, v.period
)
SELECT DISTINCT region_code, period FROM closed
