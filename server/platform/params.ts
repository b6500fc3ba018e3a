import { YituError } from './errors.ts';

/**
 * Parses a `bbox` parameter: four numbers (or six with heights, which are ignored), comma-separated.
 * With `geographic` (the default) the values must be longitudes −180…180 and latitudes −90…90.
 */
export function parseBbox(raw: string, opts: { geographic?: boolean } = {}): [number, number, number, number] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length !== 4 && parts.length !== 6) {
    throw new YituError('YITU_ERR_BBOX_INVALID', `bbox needs 4 numbers (minx,miny,maxx,maxy) or 6 with heights; got ${parts.length}: "${raw.slice(0, 100)}".`);
  }
  const n = parts.map((p) => (p === '' ? NaN : Number(p)));
  const bad = n.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new YituError('YITU_ERR_BBOX_INVALID', `bbox value ${bad + 1} ("${parts[bad]}") is not a number.`);
  const [minx, miny, maxx, maxy] = parts.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  if (opts.geographic !== false) {
    for (const [v, what, lim] of [[minx, 'minimum longitude', 180], [maxx, 'maximum longitude', 180], [miny, 'minimum latitude', 90], [maxy, 'maximum latitude', 90]] as const) {
      if (Math.abs(v) > lim) throw new YituError('YITU_ERR_BBOX_INVALID', `bbox ${what} ${v} is out of range (−${lim}…${lim}). For projected coordinates pass bbox-crs.`);
    }
  }
  if (miny > maxy) throw new YituError('YITU_ERR_BBOX_INVALID', `bbox minimum y ${miny} is greater than maximum y ${maxy}; the order is minx,miny,maxx,maxy.`);
  if (minx > maxx) throw new YituError('YITU_ERR_BBOX_INVALID', `bbox minimum x ${minx} is greater than maximum x ${maxx}; the order is minx,miny,maxx,maxy (boxes across the antimeridian are not supported).`);
  return [minx, miny, maxx, maxy];
}

/**
 * Parses an optional whole-number query parameter: absent or empty → undefined; anything but
 * plain digits (no signs, exponents or spaces) or a value outside min…max → a 400 naming it.
 */
export function intParam(name: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined || v === '') return undefined;
  const raw = String(v);
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`;
    throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `${name} must be a whole number ${range}; got "${raw.slice(0, 40)}".`);
  }
  return n;
}
