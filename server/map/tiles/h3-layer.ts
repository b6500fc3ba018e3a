import { cellToBoundary, latLngToCell, getHexagonEdgeLengthAvg, UNITS } from 'h3-js';
import { ident } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';
import { Params } from '../../ogc/sql.ts';
import { type MvtFeature, MVT_EXTENT, encodeTile } from './mvt-encoder.ts';
import type { Queryable } from '../../platform/db.ts';
import type { LayerOptions } from './layer-query.ts';
import { filterSql } from './layer-query.ts';
import type { ResolvedSource } from './sources.ts';
import { TILE_BUFFER, type TileAddress, h3ResolutionForZoom, tileLonLatBounds, toTileCoords } from './tile-math.ts';
import { tileSql } from './sql.ts';

const pointsSql = tileSql('tile-points');

/**
 * Server-side H3 hexagon aggregation of one tile: every feature counts once, at its point (or a
 * point on its surface), in the hexagon of the zoom's resolution that holds it; each hexagon
 * touching the tile becomes a polygon with `h3` (the cell), `count`, and `sum` / `avg` of a
 * numeric field when one is given. Points are read from the tile grown by two hexagon edges so a
 * hexagon on the tile's edge counts the same in both tiles it appears in. The browser gets a few
 * hundred hexagons instead of the dataset. Encoded by our encoder on both backends (the cells are
 * computed here, with h3-js; PostGIS has no H3).
 */
export async function h3Layer(db: Queryable, src: ResolvedSource, opts: LayerOptions & { field?: string }, t: TileAddress, name: string): Promise<Uint8Array> {
  const field = opts.field ? src.columns.find((c) => c.name === opts.field) : undefined;
  if (opts.field && (!field || (field.type !== 'integer' && field.type !== 'number'))) {
    const numeric = src.columns.filter((c) => c.type === 'integer' || c.type === 'number').map((c) => c.name);
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `aggregate-field must be a numeric property of "${src.id}": ${numeric.join(', ') || 'it has none'}.`);
  }
  const res = h3ResolutionForZoom(t.z);
  const [w, s, e, n] = tileLonLatBounds(t);
  const edgeDeg = (getHexagonEdgeLengthAvg(res, UNITS.km) * 2) / 111;
  const params = new Params();
  for (const v of [w - edgeDeg, Math.max(-85.06, s - edgeDeg), e + edgeDeg, Math.min(85.06, n + edgeDeg)]) params.add(v);
  const where = filterSql(src, opts, params);
  const sql = pointsSql({ value: field ? `t.${ident(field.name)}::float8` : 'NULL::float8', table: src.table, where });
  const rows = (await db.query<{ lon: number; lat: number; v: number | null }>(sql, params.values)).rows;

  const cells = new Map<string, { count: number; sum: number; n: number }>();
  for (const r of rows) {
    const cell = latLngToCell(r.lat, r.lon, res);
    let a = cells.get(cell);
    if (!a) cells.set(cell, (a = { count: 0, sum: 0, n: 0 }));
    a.count++;
    if (r.v !== null && r.v !== undefined) {
      a.sum += Number(r.v);
      a.n++;
    }
  }
  const lo = -TILE_BUFFER;
  const hi = MVT_EXTENT + TILE_BUFFER;
  const features: MvtFeature[] = [];
  for (const [cell, a] of [...cells].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const ring = cellToBoundary(cell).map(([lat, lon]) => toTileCoords(t, MVT_EXTENT, lon, lat));
    if (ring.every((p) => p[0] < lo) || ring.every((p) => p[0] > hi) || ring.every((p) => p[1] < lo) || ring.every((p) => p[1] > hi)) continue;
    ring.push(ring[0]);
    const properties: MvtFeature['properties'] = [
      { key: 'h3', kind: 'string', value: cell },
      { key: 'count', kind: 'int', value: a.count },
    ];
    if (field) {
      properties.push({ key: 'sum', kind: 'double', value: a.sum });
      properties.push({ key: 'avg', kind: 'double', value: a.n ? a.sum / a.n : null });
    }
    features.push({ geometry: { type: 'Polygon', coordinates: [ring] }, properties });
  }
  return encodeTile([{ name, features, extent: MVT_EXTENT }]);
}
