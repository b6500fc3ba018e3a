import type { Geometry } from 'geojson';
import { type ErrorLocation, YituError } from '../platform/errors.ts';
import type { Dataset } from '../hub/model.ts';
import { findColumn } from '../hub/import-service.ts';
import { coerceValue } from '../hub/schema-infer.ts';
import { checkGeometry } from '../hub/formats/geometry-check.ts';
import { type CrsDef, outOfRangePosition, swapGeometryAxes } from './crs.ts';

/** A feature checked against a dataset, ready to store. */
export interface CheckedFeature {
  /** The geometry as GeoJSON text in the request CRS, null for none, undefined when not given (PATCH). */
  geometry: string | null | undefined;
  /** GeoJSON geometry type, when a geometry is given. */
  geometryType?: string;
  /** Column values by safe name (only the columns the request names). */
  properties: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(detail: string, errors: ErrorLocation[] = []): YituError {
  return new YituError('YITU_ERR_FEATURE_INVALID', detail, errors.length ? { errors } : {});
}

const FAMILY = (t: string) => (t === 'GeometryCollection' ? t : t.replace(/^Multi/, ''));

function checkGeometryValue(g: unknown, ds: Dataset, crs: CrsDef, where: string): { text: string | null; type?: string } {
  if (g === null) return { text: null };
  const reason = checkGeometry(g);
  if (reason) throw invalid(`${where}: ${reason}. Send a GeoJSON geometry (RFC 7946) or null.`, [{ field: 'geometry', reason }]);
  const geom = g as Geometry;
  if (ds.kind !== 'features') {
    throw invalid(`${where}: "${ds.id}" is a table without geometry; send "geometry": null.`, [{ field: 'geometry', reason: 'the dataset has no geometry' }]);
  }
  if (crs.geographic) {
    const bad = outOfRangePosition(crs.swap ? swapGeometryAxes(geom) : geom);
    if (bad) {
      const order = crs.swap ? 'latitude, longitude' : 'longitude, latitude';
      throw new YituError('YITU_ERR_COORDS_OUT_OF_RANGE', `${where}: the position ${JSON.stringify(bad)} is outside longitude −180…180 / latitude −90…90 (axis order of ${crs.uri}: ${order}).`, {
        errors: [{ field: 'geometry', reason: 'coordinates out of range' }],
      });
    }
  }
  const single = ds.geometryType && ds.geometryType !== 'Geometry' && ds.geometryType !== 'GeometryCollection';
  if (single && FAMILY(geom.type) !== FAMILY(ds.geometryType!)) {
    throw invalid(`${where}: a ${geom.type} cannot join "${ds.id}", whose features are ${ds.geometryType}s.`, [{ field: 'geometry', reason: `expected ${ds.geometryType}` }]);
  }
  return { text: JSON.stringify(g), type: geom.type };
}

/** Checks property values against the dataset's columns (unknown names and bad values fail). */
function checkProperties(props: Record<string, unknown>, ds: Dataset, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: ErrorLocation[] = [];
  for (const [k, v] of Object.entries(props)) {
    const col = findColumn(ds.columns, k);
    if (!col) {
      errors.push({ field: k, reason: 'not a property of the dataset' });
      continue;
    }
    try {
      // JSON columns keep the JSON value itself; the database types the others.
      out[col.name] = col.type === 'json' ? (v === undefined ? null : v) : coerceValue(v, col.type);
    } catch (e) {
      errors.push({ field: k, reason: (e as Error).message });
    }
  }
  if (errors.length) {
    const unknown = errors.filter((e) => e.reason === 'not a property of the dataset').map((e) => `"${e.field}"`);
    const msg = unknown.length
      ? `${where}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not properties' : 'is not a property'} of "${ds.id}". Properties: ${ds.columns.map((c) => c.name).join(', ') || '(none)'}; add new columns with an import (mode append).`
      : `${where}: ${errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}.`;
    throw invalid(msg, errors);
  }
  return out;
}

/**
 * Checks one GeoJSON Feature for create or replace: a Feature object, a valid geometry (or null)
 * in the request CRS, properties that are columns of the dataset with values of their types.
 */
export function checkFeature(body: unknown, ds: Dataset, crs: CrsDef, where = 'The feature'): CheckedFeature {
  if (!isObject(body) || body.type !== 'Feature') {
    throw invalid(`${where} must be a GeoJSON Feature object ({"type": "Feature", "geometry": …, "properties": {…}}).`);
  }
  if (!('geometry' in body)) throw invalid(`${where} has no "geometry" member; give a geometry or null.`);
  if (body.properties !== undefined && body.properties !== null && !isObject(body.properties)) {
    throw invalid(`${where}: "properties" must be an object or null.`);
  }
  const g = checkGeometryValue(body.geometry, ds, crs, where);
  return {
    geometry: g.text,
    ...(g.type ? { geometryType: g.type } : {}),
    properties: checkProperties((body.properties as Record<string, unknown> | null) ?? {}, ds, where),
  };
}

/** Checks a POST body: one Feature or a FeatureCollection of at least one. */
export function checkCreateBody(body: unknown, ds: Dataset, crs: CrsDef): { features: CheckedFeature[]; collection: boolean } {
  if (isObject(body) && body.type === 'FeatureCollection') {
    if (!Array.isArray(body.features) || body.features.length === 0) throw invalid('The FeatureCollection has no features.');
    return { features: body.features.map((f, i) => checkFeature(f, ds, crs, `Feature ${i + 1}`)), collection: true };
  }
  return { features: [checkFeature(body, ds, crs)], collection: false };
}

/**
 * Checks a PATCH body (JSON merge patch, RFC 7396, of a Feature): `properties` members set (null
 * clears) the named properties; `geometry` replaces the geometry as a whole (null removes it).
 */
export function checkPatch(body: unknown, ds: Dataset, crs: CrsDef): CheckedFeature {
  if (!isObject(body)) throw invalid('A PATCH body is a JSON merge patch of the feature: {"properties": {…}, "geometry": {…}}.');
  const extra = Object.keys(body).filter((k) => !['type', 'properties', 'geometry', 'id'].includes(k));
  if (extra.length) throw invalid(`A PATCH may change "properties" and "geometry"; not ${extra.map((k) => `"${k}"`).join(', ')}.`);
  if (body.type !== undefined && body.type !== 'Feature') throw invalid('A PATCH cannot change the type of a feature.');
  let properties: Record<string, unknown> = {};
  if (body.properties === null) {
    for (const c of ds.columns) properties[c.name] = null;
  } else if (body.properties !== undefined) {
    if (!isObject(body.properties)) throw invalid('"properties" of a PATCH must be an object (or null to clear them all).');
    properties = checkProperties(body.properties, ds, 'The patch');
  }
  if (!('geometry' in body)) return { geometry: undefined, properties };
  const g = checkGeometryValue(body.geometry, ds, crs, 'The patch');
  return { geometry: g.text, ...(g.type ? { geometryType: g.type } : {}), properties };
}

/**
 * Parses an If-Match header: true when it matches `etag` (strong comparison), or when there is no
 * header. `*` matches any existing feature.
 */
export function ifMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true;
  const h = header.trim();
  if (h === '*') return true;
  return h.split(',').map((t) => t.trim()).some((t) => !t.startsWith('W/') && t === etag);
}
