import type { Geometry } from 'geojson';
import type { Db } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import * as catalog from './catalog-repo.ts';
import { type Dataset, aliveAt, assertVersion, tableOf } from './model.ts';
import { scopeSql } from './scope.ts';

/** One feature's change between two versions. */
export interface FeatureChange {
  id: number;
  change: 'added' | 'removed' | 'changed';
  /** Changed properties: old and new values (for `changed`). */
  properties?: Record<string, { from: unknown; to: unknown }>;
  geometryChanged?: boolean;
  /** The feature at the older version (removed, changed) and the newer (added, changed). */
  before?: { geometry: Geometry | null; properties: Record<string, unknown> };
  after?: { geometry: Geometry | null; properties: Record<string, unknown> };
}

/** The difference between two versions of a dataset. */
export interface VersionDiff {
  dataset: string;
  from: number;
  to: number;
  added: number;
  removed: number;
  changed: number;
  changes: FeatureChange[];
  limit: number;
  offset: number;
}

const SYS = `- '_rid' - '_fid' - '_vfrom' - '_vto' - 'geom'`;

/** Paging and the reader's regional scope of a diff. */
export interface DiffOptions {
  limit?: number;
  offset?: number;
  /**
   * Region codes the reader is limited to (from the access guard): each version is seen within
   * them, so a feature that moved out of the scope shows as removed. Not applied to datasets
   * without geometry (kind `table`).
   */
  scope?: readonly string[] | null;
}

/**
 * Compares two versions feature by feature (features keep their id across versions). A feature
 * counts as changed only if a property or its geometry differs, so restored copies are not changes.
 */
export async function diffVersions(db: Db, ds: Dataset, from: number, to: number, page: DiffOptions = {}): Promise<VersionDiff> {
  assertVersion(ds, from);
  assertVersion(ds, to);
  const t = tableOf(ds.id);
  const limit = Math.min(page.limit ?? 100, 10_000);
  const offset = page.offset ?? 0;
  const scope = page.scope && ds.kind === 'features' ? [...page.scope] : null;
  // The scope is the last parameter: $3 of the counts, $5 of the page.
  const cteAt = (n: number) => {
    const inScope = scope ? ` AND ${scopeSql(`${t}.geom`, scope, () => `$${n}`)}` : '';
    return `WITH a AS (SELECT * FROM ${t} WHERE ${aliveAt('$1')}${inScope}), b AS (SELECT * FROM ${t} WHERE ${aliveAt('$2')}${inScope}),
    d AS (
      SELECT COALESCE(a._fid, b._fid) AS fid,
        CASE WHEN a._fid IS NULL THEN 'added' WHEN b._fid IS NULL THEN 'removed' ELSE 'changed' END AS change,
        a._rid AS arid, b._rid AS brid
      FROM a FULL JOIN b ON a._fid = b._fid
      WHERE a._rid IS DISTINCT FROM b._rid AND (a._fid IS NULL OR b._fid IS NULL
        OR (to_jsonb(a) ${SYS}) IS DISTINCT FROM (to_jsonb(b) ${SYS})
        OR ST_AsEWKB(a.geom) IS DISTINCT FROM ST_AsEWKB(b.geom))
    )`;
  };
  const tail = scope ? [scope] : [];
  const counts = await db.query<{ change: string; n: number }>(`${cteAt(3)} SELECT change, count(*)::int AS n FROM d GROUP BY change`, [from, to, ...tail]);
  const n = (c: string) => counts.rows.find((r) => r.change === c)?.n ?? 0;
  const rows = await db.query<{
    fid: number;
    change: FeatureChange['change'];
    ga: Geometry | null;
    gb: Geometry | null;
    pa: Record<string, unknown> | null;
    pb: Record<string, unknown> | null;
  }>(
    `${cteAt(5)}
     SELECT d.fid, d.change, ST_AsGeoJSON(x.geom)::json AS ga, ST_AsGeoJSON(y.geom)::json AS gb,
       CASE WHEN x._rid IS NULL THEN NULL ELSE to_jsonb(x) ${SYS} END AS pa,
       CASE WHEN y._rid IS NULL THEN NULL ELSE to_jsonb(y) ${SYS} END AS pb
     FROM d LEFT JOIN ${t} x ON x._rid = d.arid LEFT JOIN ${t} y ON y._rid = d.brid
     ORDER BY d.fid LIMIT $3 OFFSET $4`,
    [from, to, limit, offset, ...tail],
  );
  const changes = rows.rows.map((r): FeatureChange => {
    const c: FeatureChange = { id: r.fid, change: r.change };
    if (r.pa) c.before = { geometry: r.ga, properties: r.pa };
    if (r.pb) c.after = { geometry: r.gb, properties: r.pb };
    if (r.change === 'changed' && r.pa && r.pb) {
      c.properties = {};
      for (const k of new Set([...Object.keys(r.pa), ...Object.keys(r.pb)])) {
        if (JSON.stringify(r.pa[k] ?? null) !== JSON.stringify(r.pb[k] ?? null)) c.properties[k] = { from: r.pa[k] ?? null, to: r.pb[k] ?? null };
      }
      c.geometryChanged = JSON.stringify(r.ga) !== JSON.stringify(r.gb);
    }
    return c;
  });
  return { dataset: ds.id, from, to, added: n('added'), removed: n('removed'), changed: n('changed'), changes, limit, offset };
}

/**
 * Rolls a dataset back to an earlier version by recording a new version whose features are those
 * of `target`: history is kept, and the rollback itself can be rolled back.
 */
export async function rollbackTo(db: Db, id: string, target: number, message = ''): Promise<{ version: number; added: number; removed: number }> {
  const t = tableOf(id);
  return db.transaction(async (tx) => {
    const ds = await catalog.getDataset(tx, id, true);
    if (!ds) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `There is no dataset "${id}".`);
    assertVersion(ds, target);
    if (target === ds.currentVersion) {
      throw new YituError('YITU_ERR_CONFLICT', `Version ${target} is already the current version of "${id}"; nothing to roll back.`);
    }
    const v = ds.currentVersion + 1;
    const cols = ds.columns.map((c) => `, ${ident(c.name)}`).join('');
    const removed = (await tx.query(`UPDATE ${t} SET _vto = $2 WHERE _vto IS NULL AND NOT ${aliveAt('$1')}`, [target, v])).rowCount;
    const added = (
      await tx.query(
        `INSERT INTO ${t} (_fid, _vfrom, geom${cols}) SELECT _fid, $2, geom${cols} FROM ${t} WHERE ${aliveAt('$1')} AND _vto IS NOT NULL ORDER BY _rid`,
        [target, v],
      )
    ).rowCount;
    await catalog.recordVersion(tx, id, {
      version: v, mode: 'rollback', message: message || `rollback to version ${target}`, jobId: null,
      added, removed, changed: 0, source: { rollbackTo: target }, report: null,
    }, ds.temporalColumn);
    return { version: v, added, removed };
  });
}
