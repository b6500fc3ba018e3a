import type { Geometry } from 'geojson';
import { wkbToGeometry } from '../../hub/formats/wkb.ts';
import type { Queryable } from '../../platform/db.ts';
import { type MvtFeature, type MvtLayer, type MvtProperty, MVT_EXTENT, encodeTile } from './mvt-encoder.ts';
import type { LayerQuery } from './layer-query.ts';
import { columnKind } from './sources.ts';

/**
 * Encodes one layer with PostGIS's ST_AsMVT over the shared tile SQL (the rows are already in
 * tile coordinates, snapped, repaired and oriented, so ST_AsMVTGeom's work is done by the shared
 * SQL and both backends differ only here). Zero-length when the layer has no features.
 */
export async function encodeLayerPostgis(db: Queryable, q: LayerQuery, name: string): Promise<Uint8Array> {
  const p = q.params.length + 1;
  const sql = `SELECT ST_AsMVT(q, $${p}::text, ${MVT_EXTENT}, 'geom', '_fid') AS mvt FROM (${q.sql}) q`;
  const r = await db.query<{ mvt: Uint8Array | null }>(sql, [...q.params, name]);
  return r.rows[0]?.mvt ?? new Uint8Array(0);
}

/** The features of a layer query, read as WKB and attribute values (the TypeScript path). */
export async function readLayerFeatures(db: Queryable, q: LayerQuery): Promise<MvtFeature[]> {
  const extra = q.clustered ? ', point_count' : '';
  const cols = q.columns.map((c) => `, q."${c.name}"`).join('');
  const r = await db.query<Record<string, unknown> & { _fid: number | null; wkb: Uint8Array }>(
    `SELECT q._fid${cols}${extra}, ST_AsBinary(q.geom) AS wkb FROM (${q.sql}) q`,
    q.params,
  );
  const kinds = q.columns.map((c) => [c.name, columnKind(c.type)] as const);
  const out: MvtFeature[] = [];
  for (const row of r.rows) {
    const geometry = wkbToGeometry(row.wkb) as Geometry | null;
    if (!geometry) continue;
    const properties: MvtProperty[] = kinds.map(([key, kind]) => ({ key, kind, value: row[key] }));
    if (q.clustered) properties.push({ key: 'point_count', kind: 'int', value: row.point_count });
    out.push({ id: row._fid === null ? null : Number(row._fid), geometry, properties });
  }
  return out;
}

/** Encodes one layer with our TypeScript encoder (PGlite, or on demand for comparison). */
export async function encodeLayerTs(db: Queryable, q: LayerQuery, name: string): Promise<Uint8Array> {
  const layer: MvtLayer = { name, features: await readLayerFeatures(db, q), extent: MVT_EXTENT };
  return encodeTile([layer]);
}
