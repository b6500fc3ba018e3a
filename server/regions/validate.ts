import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { ErrorLocation } from '../platform/errors.ts';
import { checkGeometry } from '../hub/formats/geometry-check.ts';
import { CODE_LENGTH, KINDS, type RegionInput, type RegionLevel, defaultStatCode, levelOfCode, parentCodeOf } from './model.ts';

/** A region record checked and completed, ready to insert. */
export interface RegionRow {
  code: string;
  statCode: string;
  level: RegionLevel;
  kind: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  population: number | null;
  geometry: Polygon | MultiPolygon;
}

const MAX_ERRORS = 100;

function positionsOf(g: Polygon | MultiPolygon): Position[] {
  return g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
}

/** Why a geometry cannot be a region's boundary, or null. */
export function regionGeometryReason(g: unknown): string | null {
  if (typeof g !== 'object' || g === null) return 'has no geometry';
  const type = (g as { type?: unknown }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') return `geometry is a ${String(type)}; a region needs a Polygon or MultiPolygon`;
  const structural = checkGeometry(g);
  if (structural) return `geometry: ${structural}`;
  const poly = g as Polygon | MultiPolygon;
  if (poly.coordinates.length === 0 || poly.coordinates.some((p) => p.length === 0)) return 'geometry is empty';
  for (const [lon, lat] of positionsOf(poly)) {
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      return `geometry has the position (${lon}, ${lat}) outside longitude −180…180 / latitude −90…90; regions are given in WGS84 / CGCS2000 degrees`;
    }
  }
  return null;
}

/**
 * Checks region records and completes them (level, parent, statistical code, kind from the code).
 * `existing` tells which codes are already stored. Parents must be stored or among the records
 * (in any order; they are inserted parents first). Returns the rows sorted parents first, or the
 * located problems (the record's 1-based position as `row`, the field).
 */
export function checkRegionRecords(records: RegionInput[], existing: ReadonlySet<string>): { rows: RegionRow[]; errors: ErrorLocation[] } {
  const errors: ErrorLocation[] = [];
  const rows: RegionRow[] = [];
  const seen = new Map<string, number>();
  const fail = (row: number, field: string, reason: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ row, field, reason });
  };
  records.forEach((r, i) => {
    const row = i + 1;
    const where = typeof r?.code === 'string' ? `region ${r.code} (record ${row})` : `record ${row}`;
    if (typeof r !== 'object' || r === null) return fail(row, 'record', `record ${row} is not an object`);
    const code = typeof r.code === 'string' ? r.code.trim() : '';
    const level = levelOfCode(code);
    if (!level) {
      return fail(row, 'code', `${where}: the code must be 6 (county), 9 (town), 12 (village) or 15 (grid) digits; got ${JSON.stringify(r.code)}`);
    }
    if (seen.has(code)) return fail(row, 'code', `${where}: the code ${code} repeats record ${seen.get(code)}`);
    seen.set(code, row);
    if (r.level !== undefined && r.level !== level) {
      fail(row, 'level', `${where}: level "${r.level}" does not match the code, which has ${code.length} digits (${level}: ${CODE_LENGTH[level]})`);
    }
    const parent = parentCodeOf(code);
    if (r.parentCode !== undefined && (r.parentCode ?? null) !== parent) {
      fail(row, 'parentCode', `${where}: parentCode ${JSON.stringify(r.parentCode)} is not the code's prefix ${JSON.stringify(parent)}; a child's code starts with its parent's`);
    }
    const statCode = r.statCode === undefined || r.statCode === null ? defaultStatCode(code) : String(r.statCode).trim();
    if (!/^[0-9]{12}$/.test(statCode)) fail(row, 'statCode', `${where}: the statistical code must be 12 digits; got ${JSON.stringify(r.statCode)}`);
    else if (!statCode.startsWith(code.slice(0, 12))) fail(row, 'statCode', `${where}: the statistical code ${statCode} does not start with the region code ${code.slice(0, 12)}`);
    const nameZh = typeof r.nameZh === 'string' ? r.nameZh.trim() : '';
    if (!nameZh) fail(row, 'nameZh', `${where}: nameZh (the Chinese name) is required`);
    if (nameZh.length > 200) fail(row, 'nameZh', `${where}: nameZh is longer than 200 characters`);
    const nameEn = typeof r.nameEn === 'string' && r.nameEn.trim() ? r.nameEn.trim() : nameZh;
    const kind = r.kind ?? level;
    if (!KINDS[level].includes(kind)) fail(row, 'kind', `${where}: kind "${kind}" is not one of ${KINDS[level].join(', ')} (for a ${level})`);
    const population = r.population ?? null;
    if (population !== null && (!Number.isInteger(population) || population < 0 || population > 2 ** 31 - 1)) {
      fail(row, 'population', `${where}: population must be a whole number ≥ 0; got ${JSON.stringify(population)}`);
    }
    const bad = regionGeometryReason(r.geometry);
    if (bad) fail(row, 'geometry', `${where}: ${bad}`);
    rows.push({ code, statCode, level, kind, parentCode: parent, nameZh, nameEn, population, geometry: r.geometry as Polygon | MultiPolygon });
  });
  for (const r of rows) {
    if (r.parentCode && !seen.has(r.parentCode) && !existing.has(r.parentCode)) {
      fail(seen.get(r.code)!, 'parentCode', `region ${r.code} (record ${seen.get(r.code)}): its parent ${r.parentCode} is neither stored nor among the records; load the parent first`);
    }
  }
  rows.sort((a, b) => a.code.length - b.code.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { rows, errors };
}
