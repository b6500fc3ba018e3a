import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip as gzipCb } from 'node:zlib';
import { PbfReader } from 'pbf';
import type { HubService } from '../../hub/service.ts';
import { YituError } from '../../platform/errors.ts';
import { TileCache } from './cache.ts';
import { encodeLayerPostgis, encodeLayerTs } from './encode.ts';
import { h3Layer } from './h3-layer.ts';
import { layerQuery } from './layer-query.ts';
import { type ResolvedSource, type TileSource, regionSource, resolveDataset } from './sources.ts';
import { DETAIL_ZOOM, MAX_ZOOM, type TileAddress } from './tile-math.ts';

const gzip = promisify(gzipCb);

/** One layer of a tile request. */
export interface TileLayerRequest {
  /** Layer name inside the tile; defaults to `source`. */
  name?: string;
  /** A dataset id or a registered source id ('regions', 'region_labels'). */
  source: string;
  /** Attributes to include; undefined = all columns; [] = none. */
  properties?: string[];
  /** CQL2 filter (datasets only), in `filterLang` (default cql2-text). */
  filter?: string;
  /** Language of `filter`. */
  filterLang?: 'cql2-text' | 'cql2-json';
  /** Server-side aggregation instead of features. */
  aggregate?: { kind: 'h3'; field?: string };
  /** Region codes the reader is limited to (regional scope, from the access domain); absent = none. */
  scope?: readonly string[];
}

/** An encoded tile. */
export interface TileResponse {
  /** The encoded tile, gzip-compressed when `contentEncoding` is 'gzip'; empty tile = zero-length body. */
  body: Buffer;
  etag: string;
  contentEncoding: 'gzip' | null;
  /** Features (or clusters, or cells) per layer of the tile, for the audit trail. */
  featureCounts: Record<string, number>;
}

/** Options of {@link TileService.getTile}. */
export interface TileOptions {
  /** The caller accepts gzip (the stored form). */
  gzip?: boolean;
  /** Force an encoder (tests and benchmarks compare them); bypasses the cache. */
  encoder?: 'postgis' | 'ts';
}

/**
 * Bytes a tile may take. A layer over its share (the budget split between the tile's layers) is
 * encoded again without its smallest geometries (the smallest size kept ×2 each time, below
 * DETAIL_ZOOM) until it fits: "drop the smallest as needed". Measured on the demo county, only the
 * land-use parcels at z10–11 need it (15,531 parcels of 1–2 pixels, 1.4 MB at z10).
 */
export const TILE_BUDGET_BYTES = 450 * 1024;

/** How long a dataset's catalog row (its version) is trusted before being read again. */
const SOURCE_TTL_MS = 1000;

/**
 * Vector tiles (MVT 2.1) of datasets and registered sources, one tile holding any number of
 * layers. Tiles are generalised per zoom in SQL shared by both backends and encoded by ST_AsMVT
 * where PostGIS has it, by our encoder elsewhere. Encoded tiles are kept gzip-compressed in a
 * byte-bounded LRU whose keys hold every layer's data version: a new version is a new key, and the
 * hub's change event evicts the dataset's old tiles at once. Catalog rows are trusted for a second
 * at most and forgotten on a change event, so another process's import shows within a second.
 */
export class TileService {
  private readonly sources = new Map<string, TileSource>();
  private readonly resolved = new Map<string, { at: number; src: Promise<ResolvedSource> }>();
  private readonly inflight = new Map<string, Promise<TileResponse>>();
  /** The tile cache (exposed for diagnostics and tests). */
  readonly cache: TileCache;

  constructor(
    private readonly hub: HubService,
    opts: { cacheBytes: number },
  ) {
    this.cache = new TileCache(opts.cacheBytes);
    this.register(regionSource('regions'));
    this.register(regionSource('region_labels'));
    hub.onChange((id) => this.invalidate(id));
  }

  /** Adds a non-dataset source (its id must not be a dataset id). */
  register(source: TileSource): void {
    this.sources.set(source.id, source);
  }

  /** Ids of the registered non-dataset sources. */
  registeredSources(): string[] {
    return [...this.sources.keys()];
  }

  /** Forgets a dataset's catalog row and evicts its tiles (the hub's change event). */
  invalidate(datasetId: string): void {
    this.resolved.delete(datasetId);
    this.cache.invalidate(datasetId);
  }

  /** Resolves a source id: a registered source, else a dataset (404 when neither). */
  resolve(id: string): Promise<ResolvedSource> {
    const now = Date.now();
    const hit = this.resolved.get(id);
    if (hit && now - hit.at < SOURCE_TTL_MS) return hit.src;
    const reg = this.sources.get(id);
    const src = reg ? reg.resolve(this.hub.db) : resolveDataset(this.hub, id);
    this.resolved.set(id, { at: now, src });
    src.catch(() => this.resolved.delete(id));
    return src;
  }

  /** Encodes (or reads from the cache) one tile holding the requested layers. */
  async getTile(layers: TileLayerRequest[], z: number, x: number, y: number, opts: TileOptions = {}): Promise<TileResponse> {
    const t = checkAddress(z, x, y);
    if (!layers.length) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', 'A tile needs at least one layer (collection).');
    const names = layers.map((l) => l.name ?? l.source);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `Layer "${dup}" is asked for twice; every layer of a tile needs its own name.`);
    const sources = await Promise.all(layers.map((l) => this.resolve(l.source)));
    for (const s of sources) if (s.dataset) void this.hub.countUsage(s.id);
    const key = JSON.stringify([t.z, t.x, t.y, layers.map((l, i) => [names[i], l.source, sources[i].version, l.properties ?? null, l.filter ?? null, l.filterLang ?? null, l.aggregate ?? null, l.scope ?? null])]);
    if (opts.encoder) return respond(await this.render(layers, names, sources, t, opts.encoder), opts);
    const cached = this.cache.get(key);
    if (cached) return respond(cached, opts);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.render(layers, names, sources, t).then(async (tile) => {
        this.cache.set(key, tile);
        return { body: tile.body, etag: tile.etag, contentEncoding: tile.gzip ? 'gzip' : null, featureCounts: tile.features } satisfies TileResponse;
      });
      this.inflight.set(key, p);
      p.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    const tile = await p;
    return respond({ body: tile.body, gzip: tile.contentEncoding === 'gzip', etag: tile.etag, features: tile.featureCounts }, opts);
  }

  private async render(layers: TileLayerRequest[], names: string[], sources: ResolvedSource[], t: TileAddress, encoder?: 'postgis' | 'ts') {
    const db = this.hub.db;
    const use = encoder ?? (db.capabilities.mvt ? 'postgis' : 'ts');
    // On a server the connections run without JIT and parallel workers (db-postgres.ts): the
    // planner's costs of these PostGIS-heavy queries are far above jit_above_cost.
    const q = db;
    const one = (l: TileLayerRequest, i: number): Promise<Uint8Array> => {
      const src = sources[i];
      const layerOpts = {
        ...(l.properties ? { properties: l.properties } : {}),
        ...(l.filter !== undefined ? { filter: l.filter } : {}),
        ...(l.filterLang ? { filterLang: l.filterLang } : {}),
        ...(l.scope ? { scope: l.scope } : {}),
      };
      if (l.aggregate?.kind === 'h3') return h3Layer(q, src, { ...layerOpts, ...(l.aggregate.field ? { field: l.aggregate.field } : {}) }, t, names[i]);
      const share = TILE_BUDGET_BYTES / layers.length;
      const encode = async (factor: number): Promise<Uint8Array> => {
        const lq = layerQuery(src, layerOpts, t, factor);
        const bytes = use === 'postgis' ? await encodeLayerPostgis(q, lq, names[i]) : await encodeLayerTs(q, lq, names[i]);
        return bytes.length > share && t.z < DETAIL_ZOOM && factor < 64 ? encode(factor * 2) : bytes;
      };
      return encode(1);
    };
    // A server runs the layers' queries at once; the embedded database one at a time anyway.
    let parts: Uint8Array[];
    if (db.capabilities.concurrent) parts = await Promise.all(layers.map(one));
    else {
      parts = [];
      for (let i = 0; i < layers.length; i++) parts.push(await one(layers[i], i));
    }
    const raw = Buffer.concat(parts);
    const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
    const dependsOn = [...new Set(sources.flatMap((s) => s.dependsOn))];
    const features = countMvtFeatures(raw);
    if (!raw.length) return { body: raw, gzip: false, etag, dependsOn, features };
    // Level 3: measured on a 450 KB demo tile, 5 ms and 125 KB against level 6's 15 ms and 119 KB.
    return { body: await gzip(raw, { level: 3 }), gzip: true, etag, dependsOn, features };
  }
}

function checkAddress(z: number, x: number, y: number): TileAddress {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw new YituError('YITU_ERR_NOT_FOUND', `Zoom levels run from 0 to ${MAX_ZOOM}; there is no zoom ${z}.`);
  const n = 2 ** z;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n || y >= n) {
    throw new YituError('YITU_ERR_NOT_FOUND', `Zoom ${z} has tile columns and rows 0 to ${n - 1}; tile ${z}/${x}/${y} (z/x/y) does not exist.`);
  }
  return { z, x, y };
}

function respond(tile: { body: Buffer; gzip: boolean; etag: string; features: Record<string, number> }, opts: TileOptions): TileResponse {
  if (!tile.gzip || opts.gzip) return { body: tile.body, etag: tile.etag, contentEncoding: tile.gzip ? 'gzip' : null, featureCounts: tile.features };
  return { body: gunzipSync(tile.body), etag: tile.etag, contentEncoding: null, featureCounts: tile.features };
}

/** Counts the features of each layer of an encoded MVT (a layer's name is field 1, its features field 2), without decoding them. */
export function countMvtFeatures(raw: Uint8Array): Record<string, number> {
  const out: Record<string, number> = {};
  if (!raw.length) return out;
  new PbfReader(raw).readFields((tag: number, acc: Record<string, number>, pbf?: PbfReader) => {
    if (tag !== 3 || !pbf) return;
    const layer = pbf.readMessage((t: number, l: { name: string; n: number }, p?: PbfReader) => {
      if (t === 1 && p) l.name = p.readString();
      else if (t === 2) l.n++;
    }, { name: '', n: 0 });
    acc[layer.name] = (acc[layer.name] ?? 0) + layer.n;
  }, out);
  return out;
}
