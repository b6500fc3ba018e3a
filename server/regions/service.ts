import type { Db } from '../platform/db.ts';
import { type ErrorLocation, YituError } from '../platform/errors.ts';
import { LEVELS, type LocateResult, type Region, type RegionDetail, type RegionInput, type RegionLevel, type RegionQuery, ancestorCodesOf, levelOfCode } from './model.ts';
import * as repo from './repo.ts';
import { checkRegionRecords } from './validate.ts';

/** What {@link RegionService.loadRegions} did. */
export interface LoadRegionsReport {
  loaded: number;
  byLevel: Partial<Record<RegionLevel, number>>;
}

/** Checks a longitude/latitude pair: finite numbers in range, else a 400 naming the value. */
export function checkLonLat(lon: number, lat: number): void {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `A point needs a numeric longitude and latitude; got ${String(lon)}, ${String(lat)}.`);
  }
  if (lon < -180 || lon > 180) throw new YituError('YITU_ERR_COORDS_OUT_OF_RANGE', `Longitude ${lon} is outside −180…180. Give the point as longitude, latitude in degrees (WGS84 / CGCS2000).`);
  if (lat < -90 || lat > 90) throw new YituError('YITU_ERR_COORDS_OUT_OF_RANGE', `Latitude ${lat} is outside −90…90. Give the point as longitude, latitude in degrees (WGS84 / CGCS2000); are they swapped?`);
}

/** Checks the form of a region code (404s for well-formed codes are the caller's). */
export function checkRegionCode(code: string, what = 'region code'): void {
  if (!levelOfCode(code)) {
    throw new YituError('YITU_ERR_INPUT_INVALID', `"${code.slice(0, 40)}" is not a ${what}: region codes have 6 (county), 9 (town), 12 (village) or 15 (grid) digits.`);
  }
}

/** Picks one chain out of the regions containing a point (a point on a shared boundary is in two). */
function chainOf(rows: repo.RegionDbRow[]): repo.RegionDbRow[] {
  const chain: repo.RegionDbRow[] = [];
  for (const level of LEVELS) {
    const at = rows.filter((r) => r.level === level);
    if (!at.length) continue;
    const prev = chain.at(-1);
    const pick = (prev && at.find((r) => r.parent_code === prev.code)) ?? at[0];
    if (prev && pick.parent_code !== prev.code) break; // a gap: keep the consistent part of the chain
    chain.push(pick);
  }
  return chain;
}

/**
 * The admin hierarchy county > town/subdistrict > village/community > grid. Every other domain
 * keys its records to a region code and finds regions of points through {@link regionOf}.
 */
export class RegionService {
  constructor(readonly db: Db) {}

  /**
   * Loads regions, all or nothing, in one transaction. Codes, levels, parents (stored, or among
   * the records), statistical codes and boundaries are checked first and every problem is
   * reported with its record; boundaries must be valid (Polygon or MultiPolygon, stored as
   * MultiPolygon; the area is computed in the local Gauss–Krüger zone). Codes already stored are
   * refused unless `update` is set, which replaces them.
   */
  async loadRegions(records: RegionInput[], opts: { update?: boolean } = {}): Promise<LoadRegionsReport> {
    if (!Array.isArray(records) || records.length === 0) throw new YituError('YITU_ERR_REGION_INVALID', 'No regions to load: give a non-empty list of regions.');
    const codes = new Set<string>();
    for (const r of records) {
      if (typeof r?.code !== 'string') continue;
      codes.add(r.code.trim());
      for (const a of ancestorCodesOf(r.code.trim())) codes.add(a);
    }
    const stored = await repo.existingCodes(this.db, [...codes]);
    const { rows, errors } = checkRegionRecords(records, stored);
    if (!opts.update) {
      const clash = rows.filter((r) => stored.has(r.code));
      for (const r of clash.slice(0, 100 - Math.min(100, errors.length))) errors.push({ field: 'code', reason: `region ${r.code} is already loaded (load with update to replace it)` });
    }
    if (errors.length) throw invalid(errors, records.length);
    const bad = await repo.invalidGeometries(this.db, rows);
    if (bad.length) {
      const pos = new Map(records.map((r, i) => [String(r.code).trim(), i + 1]));
      throw invalid(bad.slice(0, 100).map((b) => ({ row: pos.get(b.code), field: 'geometry', reason: `region ${b.code}: invalid boundary: ${b.reason}` })), records.length);
    }
    await this.db.transaction((tx) => repo.insertRegions(tx, rows, opts.update ?? false));
    const byLevel: Partial<Record<RegionLevel, number>> = {};
    for (const r of rows) byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
    return { loaded: rows.length, byLevel };
  }

  /** Lists regions (filtered by level, parent and name or code, paged; geometry when asked). */
  async list(q: RegionQuery = {}): Promise<{ regions: Region[]; total: number }> {
    if (q.parent) checkRegionCode(q.parent, 'parent region code');
    const r = await repo.listRegions(this.db, q);
    return { regions: r.rows.map(repo.toRegion), total: r.total };
  }

  /** Reads a region with its boundary, its ancestors (county first) and its number of children. */
  async get(code: string): Promise<RegionDetail> {
    checkRegionCode(code);
    const [row] = await repo.regionsByCode(this.db, [code], true);
    if (!row) throw notFound(code);
    const parents = (await repo.regionsByCode(this.db, ancestorCodesOf(code))).map(repo.toRegion);
    const childrenCount = await repo.countChildren(this.db, code);
    return { ...(repo.toRegion(row) as Region & { geometry: RegionDetail['geometry'] }), parents, childrenCount };
  }

  /** The children of a region (404 when the region does not exist). */
  async children(code: string, page: { limit?: number; offset?: number; geometry?: boolean } = {}): Promise<{ regions: Region[]; total: number }> {
    checkRegionCode(code);
    if (!(await repo.regionsByCode(this.db, [code])).length) throw notFound(code);
    return this.list({ ...page, parent: code });
  }

  /**
   * The regions containing a point, ordered county → town → village → grid: one indexed query.
   * A point outside every region is a 404 that names the county (or counties) loaded.
   */
  async locate(lon: number, lat: number): Promise<LocateResult> {
    checkLonLat(lon, lat);
    const rows = await repo.regionsAt(this.db, lon, lat);
    if (!rows.length) throw await this.outside(lon, lat);
    return { lon, lat, regions: chainOf(rows).map(repo.toRegion) };
  }

  /**
   * The region of one level containing a point, or null: for other domains (a case's grid, a
   * sensor's village). On a shared boundary the lowest code wins, so the answer is stable.
   */
  async regionOf(lon: number, lat: number, level: RegionLevel): Promise<Region | null> {
    checkLonLat(lon, lat);
    if (!LEVELS.includes(level)) throw new YituError('YITU_ERR_INPUT_INVALID', `level must be one of ${LEVELS.join(', ')}; got "${String(level)}".`);
    const [row] = await repo.regionsAt(this.db, lon, lat, level);
    return row ? repo.toRegion(row) : null;
  }

  /** Deletes regions with all their descendants (the demo's replace); returns how many. */
  async removeSubtrees(codes: string[]): Promise<number> {
    for (const c of codes) checkRegionCode(c);
    return this.db.transaction((tx) => repo.deleteSubtrees(tx, codes));
  }

  /** Number of stored regions. */
  count(): Promise<number> {
    return repo.countRegions(this.db);
  }

  private async outside(lon: number, lat: number): Promise<YituError> {
    const roots = await repo.rootRegions(this.db);
    if (!roots.length) return new YituError('YITU_ERR_REGION_NOT_FOUND', 'No regions are loaded yet, so no point can be located. Load the admin hierarchy first (yitu seed demo loads Deqing County).');
    const names = roots.map((r) => `${r.name_zh} ${r.name_en} (${r.code})`).join(', ');
    return new YituError('YITU_ERR_REGION_NOT_FOUND', `The point (${lon}, ${lat}) is outside ${names}: no region contains it. Points are longitude, latitude in WGS84 / CGCS2000 degrees.`, {
      extra: { lon, lat, outside: roots.map((r) => r.code) },
    });
  }
}

function notFound(code: string): YituError {
  return new YituError('YITU_ERR_REGION_NOT_FOUND', `There is no region ${code}. List regions with GET /regions.`);
}

function invalid(errors: ErrorLocation[], total: number): YituError {
  const shown = errors.slice(0, 3).map((e) => e.reason).join('; ');
  return new YituError('YITU_ERR_REGION_INVALID', `${errors.length >= 100 ? 'At least 100' : errors.length} problem(s) in the ${total} regions; nothing was loaded. ${shown}${errors.length > 3 ? '; …' : ''}`, { errors });
}
