import type { Queryable } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';

/**
 * Checks that PostGIS can transform from `srid` and returns it. `origin` says where the code came
 * from, so the error tells the user what to do.
 */
export async function resolveCrs(db: Queryable, srid: number, origin: 'given' | 'file' | 'default'): Promise<number> {
  if (!Number.isInteger(srid) || srid <= 0) {
    throw new YituError('YITU_ERR_CRS_UNKNOWN', `"${srid}" is not an EPSG code. Give one such as 4326, 4490, 3857 or 4549.`);
  }
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM spatial_ref_sys WHERE srid = $1', [srid]);
  if (r.rows[0].n === 0) {
    const where = origin === 'file' ? 'The file declares' : 'You gave';
    throw new YituError('YITU_ERR_CRS_UNKNOWN', `${where} EPSG:${srid}, which PostGIS does not know. Give the file's EPSG code (for example 4326, 4490, 3857 or 4549).`);
  }
  return srid;
}
