import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../platform/db.ts';
import { YituError } from '../../platform/errors.ts';
import type { LegendGroup } from '../styles/compile.ts';
import { type MapLang, type StyleService, TILE_MAX_ZOOM } from '../styles/service.ts';
import { describeIssues } from '../styles/spec.ts';
import type { TileLayerRequest, TileResponse, TileService } from '../tiles/service.ts';
import { type MapLayer, type SavedMap, assignLayerIds, mapInputSchema } from './model.ts';
import * as repo from './repo.ts';
import { MAP_SOURCE, checkLayers, legendOf, resolveLayers } from './resolve.ts';

/** What the map service needs of the tiles module. */
export type TileProvider = Pick<TileService, 'getTile'>;
/** The basemap module's complete style of a basemap id (`offline`, `xyz`): its glyphs, sources and layers are used. */
export type BasemapStyle = (opts: { baseUrl: string; lang: MapLang; basemap: string }) => Promise<Record<string, unknown>>;

/** Collaborators of the map service that other modules provide. */
export interface MapServiceOptions {
  tiles?: TileProvider;
  basemap?: BasemapStyle;
}

/**
 * Who reads or changes maps, as the access domain sees them (the routes build it from the
 * request's principal): maps keep no access rules of their own beyond ownership.
 */
export interface MapReader {
  /** The user's id (owner of the maps they make); null for the anonymous public. */
  userId: string | null;
  /** The administrator reads and changes every map. */
  admin: boolean;
  /**
   * Whether the reader may read a dataset, and the regional scope of their reads: null when they
   * may not (or it does not exist), else `{ scope }` (undefined scope: the whole dataset).
   */
  dataset(id: string): Promise<{ scope?: readonly string[] } | null>;
}

/** A reader that reads everything and owns nothing (the demo seed, the CLI). */
export const SYSTEM_READER: MapReader = { userId: null, admin: true, dataset: async () => ({}) };

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** How long the tile layers of a map are trusted without a change event (one process; see MapService). */
const TILE_LAYERS_TTL_MS = 5000;

/** A random id of `n` characters [0-9a-z] (the first a letter). */
function randomId(n: number): string {
  const bytes = randomBytes(n);
  let s = ALPHABET[10 + (bytes[0] % 26)];
  for (let i = 1; i < n; i++) s += ALPHABET[bytes[i] % 36];
  return s;
}

/** The ETag of a map revision. */
export const mapEtag = (m: SavedMap): string => `"r${m.revision}"`;

/**
 * Saved ("thematic") maps: create, read, change (If-Match on the revision), copy and delete them;
 * serve each as a complete MapLibre style, a legend, and its own vector tiles (every visible layer
 * in one tile, through the tiles module). Public maps are listed; a private map is read only with
 * its share token (until the access issue brings users).
 */
export class MapService {
  /**
   * The tile layers of recently drawn maps. Resolving a map reads its row, every layer's catalog
   * entry and style (2–12 ms a tile on the embedded database, measured on the demo maps), while a
   * cached tile costs well under a millisecond; a browser asks for a dozen tiles at once. Entries
   * are dropped when the map, a style or a dataset changes, and live a few seconds at most.
   */
  private tileLayers = new Map<string, { at: number; generation: number; map: SavedMap; requests: TileLayerRequest[] }>();

  constructor(
    private readonly db: Db,
    readonly styles: StyleService,
    private readonly opts: MapServiceOptions = {},
  ) {}

  /** Public maps and the reader's own (the administrator and the system: all), optionally searched. */
  list(q: { text?: string; limit: number; offset: number }, reader: MapReader = SYSTEM_READER): Promise<{ items: SavedMap[]; total: number }> {
    return repo.listPublicMaps(this.db, { ...q, owner: reader.userId, all: reader.admin });
  }

  /** Reads a map the caller may read (public, their own, or private with its token), else a 404. */
  async get(id: string, token?: string, reader: MapReader = SYSTEM_READER): Promise<SavedMap> {
    const m = await repo.getMap(this.db, id);
    if (!m || !(canRead(m, token) || ownsOrAdministers(m, reader))) {
      throw new YituError('YITU_ERR_MAP_NOT_FOUND', `There is no map "${id.slice(0, 60)}" you can read: it does not exist, or it is private and is read with ?token=<its share token>. Public maps are listed at GET /maps.`);
    }
    return m;
  }

  /** Reads a map the caller may change (its owner, or the administrator); others get 404 or 403. */
  private async editable(id: string, token: string | undefined, reader: MapReader): Promise<SavedMap> {
    const m = await this.get(id, token, reader);
    if (!ownsOrAdministers(m, reader)) {
      throw reader.userId
        ? new YituError('YITU_ERR_FORBIDDEN', `Only the owner of map "${id}" (or an administrator) changes it; make your own copy with POST /maps/${id}/copy.`)
        : new YituError('YITU_ERR_AUTH_REQUIRED', `Sign in to change maps; only the owner of map "${id}" (or an administrator) changes it.`);
    }
    return m;
  }

  /**
   * The map as this reader may see it: layers of datasets they may not read are left out (and
   * only counted, so that nothing about them is told); `missing` names the removed datasets.
   */
  async visibleTo(m: SavedMap, reader: MapReader): Promise<{ map: SavedMap; hidden: number; missing: Set<string> }> {
    // A layer stays when the reader may read its dataset, or when the dataset is gone (reported missing).
    const missing = await this.missingDatasets(m);
    if (reader.admin) return { map: m, hidden: 0, missing };
    const ok = await Promise.all(m.layers.map(async (l) => missing.has(l.dataset) || (await reader.dataset(l.dataset)) !== null));
    const layers = m.layers.filter((_l, i) => ok[i]);
    return { map: layers.length === m.layers.length ? m : { ...m, layers }, hidden: m.layers.length - layers.length, missing };
  }

  /** The datasets of a map's layers that no longer exist. */
  async missingDatasets(m: SavedMap): Promise<Set<string>> {
    const ids = [...new Set(m.layers.map((l) => l.dataset))];
    const there = await repo.existingDatasets(this.db, ids);
    return new Set(ids.filter((x) => !there.has(x)));
  }

  /** Creates a map owned by the reader (validated: datasets exist and the reader may read them, styles fit, filters compile). */
  async create(body: unknown, reader: MapReader = SYSTEM_READER): Promise<SavedMap> {
    if (!reader.userId && !reader.admin) throw new YituError('YITU_ERR_AUTH_REQUIRED', 'Sign in to save maps; a map belongs to the person who makes it.');
    const input = await this.parse(body, reader);
    const requested = (body as { id?: string }).id;
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = requested ?? randomId(10);
      if (await repo.insertMap(this.db, id, randomBytes(18).toString('base64url'), input, reader.userId)) return (await repo.getMap(this.db, id))!;
      if (requested) throw new YituError('YITU_ERR_CONFLICT', `A map with the id "${requested}" exists already; leave the id out to get a new one.`);
    }
    throw new YituError('YITU_ERR_INTERNAL', 'Could not find a free map id.');
  }

  /** Replaces a map's content; `ifMatch` (the ETag read before) guards against overwriting someone's change. */
  async update(id: string, body: unknown, token?: string, ifMatch?: string, reader: MapReader = SYSTEM_READER): Promise<SavedMap> {
    const m = await this.editable(id, token, reader);
    const etag = mapEtag(m);
    if (ifMatch !== undefined && ifMatch.trim() !== '*' && !ifMatch.split(',').map((t) => t.trim()).includes(etag)) {
      throw preconditionFailed(id, ifMatch, etag);
    }
    if ((body as { id?: unknown } | null)?.id !== undefined && (body as { id: unknown }).id !== id) {
      throw new YituError('YITU_ERR_MAP_INVALID', `The body's id ${JSON.stringify((body as { id: unknown }).id)} is not the map "${id}" of the URL; map ids cannot change.`);
    }
    const input = await this.parse(body, reader);
    const revision = await repo.updateMap(this.db, id, m.revision, input);
    this.tileLayers.delete(id);
    if (revision === null) throw preconditionFailed(id, ifMatch ?? etag, mapEtag((await repo.getMap(this.db, id)) ?? m));
    return (await repo.getMap(this.db, id))!;
  }

  /** Deletes a map. */
  async remove(id: string, token?: string, reader: MapReader = SYSTEM_READER): Promise<void> {
    await this.editable(id, token, reader);
    await repo.deleteMap(this.db, id);
    this.tileLayers.delete(id);
  }

  /** Deletes maps by id whatever their visibility (the demo's own, when it is loaded again). */
  async drop(ids: string[]): Promise<void> {
    for (const id of ids) {
      await repo.deleteMap(this.db, id);
      this.tileLayers.delete(id);
    }
  }

  /** Copies a map into a new private map of the reader (new id, new share token; only the layers they may read). */
  async copy(id: string, token?: string, reader: MapReader = SYSTEM_READER): Promise<SavedMap> {
    if (!reader.userId && !reader.admin) throw new YituError('YITU_ERR_AUTH_REQUIRED', 'Sign in to copy maps; the copy belongs to you.');
    const m = (await this.visibleTo(await this.get(id, token, reader), reader)).map;
    const title = { zh: m.title.zh ? `${m.title.zh}（副本）` : '', en: m.title.en ? `${m.title.en} (copy)` : '' };
    for (let attempt = 0; attempt < 5; attempt++) {
      const newId = randomId(10);
      const ok = await repo.insertMap(this.db, newId, randomBytes(18).toString('base64url'), { ...m, title, visibility: 'private' }, reader.userId);
      if (ok) return (await repo.getMap(this.db, newId))!;
    }
    throw new YituError('YITU_ERR_INTERNAL', 'Could not find a free map id.');
  }

  /** The legend of a map's visible layers, top layer first. */
  async legend(id: string, token: string | undefined, lang: MapLang, reader: MapReader = SYSTEM_READER): Promise<{ id: string; title: string; layers: LegendGroup[]; missing: string[] }> {
    const { map: m } = await this.visibleTo(await this.get(id, token, reader), reader);
    const resolved = await resolveLayers(this.styles, m, lang);
    return { id: m.id, title: titleIn(m, lang), layers: legendOf(resolved), missing: resolved.filter((r) => r.missing).map((r) => r.layer.id) };
  }

  /** The map as a complete MapLibre style: basemap, glyphs, one source of the map's own tiles, its layers. */
  async styleJson(id: string, token: string | undefined, lang: MapLang, base: string, reader: MapReader = SYSTEM_READER): Promise<Record<string, unknown>> {
    const { map: m, hidden } = await this.visibleTo(await this.get(id, token, reader), reader);
    const resolved = await resolveLayers(this.styles, m, lang);
    const basemap = (await this.opts.basemap?.({ baseUrl: base, lang, basemap: m.view.basemap })) as { glyphs?: string; sources?: Record<string, unknown>; layers?: unknown[] } | undefined;
    const tokenQuery = m.visibility === 'private' ? `?token=${encodeURIComponent(m.shareToken)}` : '';
    return {
      version: 8,
      name: titleIn(m, lang),
      center: m.view.center,
      zoom: m.view.zoom,
      pitch: m.view.pitch,
      bearing: m.view.bearing,
      metadata: {
        'yitu:map': m.id,
        'yitu:revision': m.revision,
        'yitu:basemap': m.view.basemap,
        'yitu:legend': legendOf(resolved),
        'yitu:layers': resolved.map((r) => ({
          id: r.layer.id,
          dataset: r.layer.dataset,
          visible: r.layer.visible,
          missing: r.missing,
          ...(r.problem ? { problem: r.problem } : {}),
          layers: r.compiled?.layers.map((l) => l.id) ?? [],
        })),
        'yitu:missing': resolved.filter((r) => r.missing).map((r) => r.layer.dataset),
        'yitu:restricted': hidden,
      },
      glyphs: basemap?.glyphs ?? `${base}/fonts/{fontstack}/{range}.pbf`,
      sources: {
        ...(basemap?.sources ?? {}),
        [MAP_SOURCE]: { type: 'vector', tiles: [`${base}/maps/${m.id}/tiles/WebMercatorQuad/{z}/{y}/{x}${tokenQuery}`], minzoom: 0, maxzoom: TILE_MAX_ZOOM },
      },
      layers: [...(basemap?.layers ?? []), ...resolved.flatMap((r) => r.compiled?.layers ?? [])],
    };
  }

  /**
   * One tile of the map: every visible, drawable layer as a tile layer named by its id, with only
   * the attributes its style reads and its filter applied. The ETag adds the map's revision.
   */
  async tile(id: string, token: string | undefined, z: number, x: number, y: number, gzip: boolean, reader: MapReader = SYSTEM_READER): Promise<TileResponse & { layers: string[]; datasets: string[] }> {
    if (!this.opts.tiles) throw new YituError('YITU_ERR_UNAVAILABLE', 'Map tiles are not available in this server (no tile service).');
    const { map: m, requests: all } = await this.tileLayersOf(id, token, reader);
    // Only the layers the reader may read, each within the reader's regional scope.
    const access = await Promise.all(all.map((r) => reader.dataset(r.source)));
    const requests = all.flatMap((r, i) => {
      const a = access[i];
      if (!a) return [];
      return [a.scope ? { ...r, scope: a.scope } : r];
    });
    if (!requests.length) return { body: Buffer.alloc(0), etag: `"r${m.revision}-empty"`, contentEncoding: null, featureCounts: {}, layers: [], datasets: [] };
    const t = await this.opts.tiles.getTile(requests, z, x, y, { gzip });
    return { ...t, etag: `"r${m.revision}-${t.etag.replace(/^W\//, '').replace(/"/g, '')}"`, layers: requests.map((r) => r.name!), datasets: requests.map((r) => r.source) };
  }

  private async tileLayersOf(id: string, token: string | undefined, reader: MapReader): Promise<{ map: SavedMap; requests: TileLayerRequest[] }> {
    const now = Date.now();
    const generation = this.styles.generation;
    const hit = this.tileLayers.get(id);
    if (hit && now - hit.at < TILE_LAYERS_TTL_MS && hit.generation === generation) {
      if (canRead(hit.map, token) || ownsOrAdministers(hit.map, reader)) return hit;
      return { map: await this.get(id, token, reader), requests: hit.requests };
    }
    const m = await this.get(id, token, reader);
    const resolved = await resolveLayers(this.styles, m, 'zh');
    const requests: TileLayerRequest[] = resolved
      .filter((r) => r.compiled && r.layer.visible)
      .map((r) => ({
        name: r.layer.id,
        source: r.layer.dataset,
        properties: r.compiled!.properties,
        ...(r.layer.filter ? { filter: r.layer.filter } : {}),
        ...(r.compiled!.aggregate ? { aggregate: r.compiled!.aggregate } : {}),
      }));
    if (this.tileLayers.size >= 200) this.tileLayers.clear();
    this.tileLayers.set(id, { at: now, generation, map: m, requests });
    return { map: m, requests };
  }

  private async parse(body: unknown, reader: MapReader): Promise<repo.MapWrite> {
    const r = mapInputSchema.safeParse(body);
    if (!r.success) throw new YituError('YITU_ERR_MAP_INVALID', `${describeIssues(r.error)}.`);
    const layers: MapLayer[] = await checkLayers(this.styles, assignLayerIds(r.data.layers), async (id) => (await reader.dataset(id)) !== null);
    const d = r.data.description;
    return {
      title: { zh: r.data.title.zh ?? '', en: r.data.title.en ?? '' },
      description: { zh: d.zh ?? '', en: d.en ?? '' },
      visibility: r.data.visibility,
      view: r.data.view,
      layers,
    };
  }
}

/** True when the reader owns the map or is the administrator. */
export function ownsOrAdministers(m: SavedMap, reader: MapReader): boolean {
  return reader.admin || (reader.userId !== null && m.owner === reader.userId);
}

/** True when the map is public or the token is its share token. */
export function canRead(m: SavedMap, token: string | undefined): boolean {
  if (m.visibility === 'public') return true;
  if (!token) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(m.shareToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

function titleIn(m: SavedMap, lang: MapLang): string {
  return (lang === 'en' ? m.title.en : m.title.zh) || m.title.zh || m.title.en || m.id;
}

function preconditionFailed(id: string, given: string, now: string): YituError {
  return new YituError('YITU_ERR_PRECONDITION_FAILED', `Map "${id}" changed since you read it (If-Match ${given}, now ${now}). Read it again, then repeat the change.`, { extra: { etag: now } });
}

