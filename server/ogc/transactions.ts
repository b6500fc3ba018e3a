import type { Db, Queryable } from '../platform/db.ts';
import { ident } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import * as catalog from '../hub/catalog-repo.ts';
import { type Dataset, tableOf } from '../hub/model.ts';
import { summariseGeometryType } from '../hub/import-stage.ts';
import { type CrsDef, geometryInputSql } from './crs.ts';
import { type CheckedFeature, checkCreateBody, checkFeature, checkPatch, ifMatch } from './feature-input.ts';
import { featureEtag } from './service.ts';
import { sqlTemplate } from './sql.ts';

const insertTemplate = sqlTemplate('insert-features');
const replaceTemplate = sqlTemplate('replace-feature');

/** What a write did: the new version and the features written (id and ETag). */
export interface WriteResult {
  version: number;
  features: { id: number; etag: string }[];
  collection: boolean;
}

/** A change of one feature. */
export type FeatureChange =
  | { kind: 'create'; body: unknown }
  | { kind: 'replace'; fid: number; body: unknown; ifMatch?: string }
  | { kind: 'patch'; fid: number; body: unknown; ifMatch?: string }
  | { kind: 'delete'; fid: number; ifMatch?: string };

function notEditable(ds: Dataset): YituError {
  return new YituError(
    'YITU_ERR_DATASET_NOT_EDITABLE',
    `Dataset "${ds.id}" is not editable through the features API. Its owner can allow it with PATCH /datasets/${ds.id} {"editable": true}; or change it with an import (POST /datasets/${ds.id}/imports).`,
  );
}

async function currentRow(tx: Queryable, ds: Dataset, fid: number, header: string | undefined): Promise<number> {
  const r = await tx.query<{ rid: number }>(`SELECT _rid AS rid FROM ${tableOf(ds.id)} WHERE _fid = $1 AND _vto IS NULL FOR UPDATE`, [fid]);
  const rid = r.rows[0]?.rid;
  if (rid === undefined) {
    throw new YituError('YITU_ERR_FEATURE_NOT_FOUND', `Collection "${ds.id}" has no feature ${fid} (now). Create features with POST /collections/${ds.id}/items.`);
  }
  const etag = featureEtag(fid, Number(rid));
  if (!ifMatch(header, etag)) {
    throw new YituError('YITU_ERR_PRECONDITION_FAILED', `Feature ${fid} of "${ds.id}" changed since you read it (If-Match ${header}, now ${etag}). Read it again, then repeat the change.`, {
      extra: { etag },
    });
  }
  return Number(rid);
}

/** Database errors on storing checked input are input errors (a geometry PostGIS cannot read, a value out of range). */
async function storing<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof YituError) throw e;
    throw new YituError('YITU_ERR_FEATURE_INVALID', `${what} could not be stored: ${(e as Error).message}. Nothing was written.`, { cause: e });
  }
}

async function insertFeatures(tx: Queryable, ds: Dataset, crs: CrsDef, version: number, features: CheckedFeature[]): Promise<{ id: number; rid: number }[]> {
  const sql = insertTemplate({
    table: tableOf(ds.id),
    geometry: geometryInputSql(crs, '_gj'),
    columns: ds.columns.map((c) => `, ${ident(c.name)}`).join(''),
    values: ds.columns.map((c) => `, ${ident(c.name)}`).join(''),
  });
  const doc = JSON.stringify(features.map((f) => ({ g: f.geometry ?? null, p: f.properties })));
  const r = await tx.query<{ _fid: number; _rid: number }>(sql, [doc, version]);
  return r.rows.map((x) => ({ id: Number(x._fid), rid: Number(x._rid) }));
}

async function replaceRow(tx: Queryable, ds: Dataset, crs: CrsDef, version: number, rid: number, f: CheckedFeature, patch: boolean): Promise<number> {
  await tx.query(`UPDATE ${tableOf(ds.id)} SET _vto = $2 WHERE _rid = $1`, [rid, version]);
  const keep = patch && f.geometry === undefined;
  const sql = replaceTemplate({
    table: tableOf(ds.id),
    base: patch ? 'o' : `NULL::${tableOf(ds.id)}`,
    geometry: keep ? 'o.geom' : geometryInputSql(crs, '$4::text'),
    columns: ds.columns.map((c) => `, ${ident(c.name)}`).join(''),
    values: ds.columns.map((c) => `, r.${ident(c.name)}`).join(''),
  });
  const params: unknown[] = [rid, version, JSON.stringify(f.properties)];
  if (!keep) params.push(f.geometry ?? null);
  const r = await tx.query<{ _rid: number }>(sql, params);
  return Number(r.rows[0]._rid);
}

/**
 * Applies one Part 4 change as one new version of the dataset, in one transaction: the catalog
 * row is locked first (`FOR UPDATE`), so concurrent writers queue; a replaced or patched feature's
 * row is closed (`_vto`) and a new row with the same feature id opened; the version is recorded
 * (mode `edit`) and the catalog's count, extent and current version refreshed. Any failure —
 * bad input included — leaves the dataset untouched.
 */
export async function writeFeatures(db: Db, id: string, crs: CrsDef, change: FeatureChange, message: string): Promise<WriteResult> {
  return db.transaction(async (tx) => {
    const ds = await catalog.getDataset(tx, id, true);
    if (!ds) throw new YituError('YITU_ERR_DATASET_NOT_FOUND', `There is no collection "${id}". List them with GET /collections.`);
    if (!ds.editable) throw notEditable(ds);
    const version = ds.currentVersion + 1;
    const counts = { added: 0, removed: 0, changed: 0 };
    let features: { id: number; etag: string }[] = [];
    let collection = false;
    const types = new Set<string>(ds.geometryType ? [ds.geometryType] : []);

    if (change.kind === 'create') {
      const checked = checkCreateBody(change.body, ds, crs);
      collection = checked.collection;
      for (const f of checked.features) if (f.geometryType) types.add(f.geometryType);
      const rows = await storing('The features', () => insertFeatures(tx, ds, crs, version, checked.features));
      features = rows.map((r) => ({ id: r.id, etag: featureEtag(r.id, r.rid) }));
      counts.added = rows.length;
    } else if (change.kind === 'delete') {
      const rid = await currentRow(tx, ds, change.fid, change.ifMatch);
      await tx.query(`UPDATE ${tableOf(ds.id)} SET _vto = $2 WHERE _rid = $1`, [rid, version]);
      counts.removed = 1;
    } else {
      const f = change.kind === 'patch' ? checkPatch(change.body, ds, crs) : checkFeature(change.body, ds, crs);
      const bodyId = (change.body as { id?: unknown }).id;
      if (bodyId !== undefined && bodyId !== null && String(bodyId) !== String(change.fid)) {
        throw new YituError('YITU_ERR_FEATURE_INVALID', `The body's id ${JSON.stringify(bodyId)} is not the feature ${change.fid} of the URL; feature ids cannot change.`);
      }
      if (f.geometryType) types.add(f.geometryType);
      const rid = await currentRow(tx, ds, change.fid, change.ifMatch);
      const newRid = await storing(`Feature ${change.fid}`, () => replaceRow(tx, ds, crs, version, rid, f, change.kind === 'patch'));
      features = [{ id: change.fid, etag: featureEtag(change.fid, newRid) }];
      counts.changed = 1;
    }

    const geometryType = summariseGeometryType(types);
    if (geometryType !== ds.geometryType) await catalog.updateDatasetFields(tx, id, { geometryType });
    await catalog.recordVersion(tx, id, {
      version, mode: 'edit', message, jobId: null, ...counts,
      source: { api: 'ogcapi-features', operation: change.kind, ...('fid' in change ? { feature: change.fid } : {}) }, report: null,
    }, ds.temporalColumn);
    return { version, features, collection };
  });
}
