import type { Config } from '../platform/config.ts';
import { YituError } from '../platform/errors.ts';
import type { HubService } from '../hub/service.ts';
import type { Dataset } from '../hub/model.ts';
import { assertVersion } from '../hub/model.ts';
import type { AccessGuard } from '../access/guard.ts';
import type { AuditLog, RequestOrigin } from '../access/audit-log.ts';
import type { Principal } from '../access/model.ts';
import { type CollectionDocument, collectionDocument, queryablesDocument } from './collections.ts';
import type { CrsDef } from './crs.ts';
import { type ItemsParams, parseFeatureParams, parseItemsParams } from './items-params.ts';
import { type Selection, buildSelection, countRows, estimateRows, pageSql } from './items-query.ts';
import { type Link, MEDIA } from './links.ts';

/** How the service builds links for the current request (kept apart from the web framework). */
export interface LinkContext {
  /** Absolute base URL. */
  base: string;
  /** The request's URL with some query parameters changed. */
  urlWith(changes: Record<string, string | null>): string;
}

/** A GeoJSON response already serialised, with its headers. */
export interface TextResponse {
  body: string;
  headers: Record<string, string>;
}

/** Who reads: every read is decided by the access guard and, for restricted data, audited. */
export interface Reader {
  principal: Principal;
  origin: RequestOrigin;
}

/** The access collaborators of the features API. */
export interface OgcAccess {
  guard: AccessGuard;
  audit: AuditLog;
}

/** The ETag of a stored feature row: the feature id and the row id (new on every change). */
export function featureEtag(fid: number, rid: number): string {
  return `"${fid}-${rid}"`;
}

/**
 * OGC API – Features over the data hub: every dataset is a collection. Nothing is cached beyond a
 * request, so new datasets and new versions are served at once.
 *
 * Access: the collections are those the reader may see; every collection path asks the guard
 * first (`readable`: a dataset the reader may not see is not found, worded as a missing one);
 * features of non-public datasets are limited to the reader's regional scope (`guard.scope`),
 * which also decides numberMatched and which ids are found. Reads of restricted data are audited
 * (`dataset.read` for a collection or its queryables, `features.read` with the features returned).
 */
export class OgcService {
  constructor(
    readonly hub: HubService,
    private readonly config: Config,
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly access: OgcAccess,
  ) {}

  /** The datasets the reader may see, as collections. */
  async collections(reader: Reader, base: string): Promise<{ collections: CollectionDocument[]; links: Link[] }> {
    const visible = await this.access.guard.visibility(reader.principal);
    const all: Dataset[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.hub.search({ limit: 1000, offset, ...(visible ? { visible } : {}) });
      all.push(...page.items);
      if (page.items.length < 1000 || all.length >= page.total) break;
    }
    return {
      links: [
        { href: `${base}/collections`, rel: 'self', type: MEDIA.json, title: 'This document' },
        { href: `${base}/`, rel: 'parent', type: MEDIA.json, title: 'The landing page' },
      ],
      // Statistical tables are served by /stats (joined to regions), not as feature collections.
      collections: all.filter((ds) => ds.kind !== 'statistics').map((ds) => collectionDocument(ds, base)),
    };
  }

  /** One collection. */
  async collection(reader: Reader, id: string, base: string): Promise<CollectionDocument> {
    const ds = await this.dataset(reader, id);
    this.audited(reader, ds, 'dataset.read');
    return collectionDocument(ds, base);
  }

  /** The queryables of a collection, property titles in `lang` (default Chinese). */
  async queryables(reader: Reader, id: string, base: string, lang: 'zh' | 'en' = 'zh'): Promise<Record<string, unknown>> {
    const ds = await this.dataset(reader, id);
    this.audited(reader, ds, 'dataset.read');
    return queryablesDocument(ds, base, lang);
  }

  /** A page of features, serialised without a JSON round trip of the features. */
  async items(reader: Reader, id: string, query: Record<string, string>, links: LinkContext): Promise<TextResponse> {
    const ds = await this.dataset(reader, id);
    const p = parseItemsParams(query, ds, this.config);
    if (p.version !== undefined) assertVersion(ds, p.version);
    const sel = buildSelection(ds, p, this.access.guard.scope(reader.principal, ds));
    const { features, returned, matched } = this.hub.db.capabilities.concurrent || !sel.narrowed
      ? await this.pageAndCount(ds, p, sel)
      : await this.pageWithCount(ds, p, sel);
    this.used(ds.id);
    this.audited(reader, ds, 'features.read', returned);

    const more = returned === p.limit && (matched.estimated || p.offset + returned < matched.n);
    const pageLinks: Link[] = [
      { href: links.urlWith({}), rel: 'self', type: MEDIA.geojson, title: 'This page' },
      { href: `${links.base}/collections/${ds.id}`, rel: 'collection', type: MEDIA.json, title: 'The collection' },
    ];
    if (more) pageLinks.push({ href: links.urlWith({ offset: String(p.offset + p.limit), limit: String(p.limit) }), rel: 'next', type: MEDIA.geojson, title: 'Next page' });
    if (p.offset > 0) {
      pageLinks.push({ href: links.urlWith({ offset: String(Math.max(0, p.offset - p.limit)), limit: String(p.limit) }), rel: 'prev', type: MEDIA.geojson, title: 'Previous page' });
    }
    let head = `{"type":"FeatureCollection","timeStamp":"${new Date().toISOString()}","numberMatched":${matched.n},`;
    if (matched.estimated) head += '"numberMatchedEstimated":true,';
    head += `"numberReturned":${returned},"links":${JSON.stringify(pageLinks)},"features":[`;
    const body = `${head}${features}]}`;
    return { body, headers: this.crsHeaders(p.crs, ds) };
  }

  /**
   * One feature, with its ETag. A feature outside the reader's regional scope is not found, like a
   * missing one. `read` false for the echo of a write (not a use of the data, and the writer's
   * own feature: not limited by scope).
   */
  async feature(reader: Reader, id: string, fidRaw: string, query: Record<string, string>, base: string, read = true): Promise<TextResponse & { etag: string }> {
    const ds = await this.dataset(reader, id);
    const p = parseFeatureParams(query, ds);
    if (p.version !== undefined) assertVersion(ds, p.version);
    const fid = parseFid(fidRaw, ds.id);
    const itemsParams: ItemsParams = { limit: 1, offset: 0, sortby: [], crs: p.crs, ...(p.version !== undefined ? { version: p.version } : {}) };
    const sel = buildSelection(ds, itemsParams, read ? this.access.guard.scope(reader.principal, ds) : null);
    sel.where += ` AND _fid = ${sel.params.add(fid)}::int8`;
    const q = pageSql(ds, sel, { sortby: [], crs: p.crs, ...(p.properties ? { properties: p.properties } : {}) });
    const row = (await this.hub.db.query<{ feature: string; rid: number }>(q.sql, q.params)).rows[0];
    if (!row) throw notFound(ds, fid, p.version);
    if (read) {
      this.used(ds.id);
      this.audited(reader, ds, 'features.read', 1);
    }
    const c = `${base}/collections/${ds.id}`;
    const featureLinks: Link[] = [
      { href: `${c}/items/${fid}`, rel: 'self', type: MEDIA.geojson, title: 'This feature' },
      { href: c, rel: 'collection', type: MEDIA.json, title: 'The collection' },
    ];
    const body = `${row.feature.slice(0, -1)},"links":${JSON.stringify(featureLinks)}}`;
    return { body, headers: this.crsHeaders(p.crs, ds), etag: featureEtag(fid, Number(row.rid)) };
  }

  /**
   * The dataset when the reader may read it (a fresh read: no cache); a hidden one is not found,
   * worded as a missing one. A statistical table is not a collection (it is read at /stats).
   */
  async dataset(reader: Reader, id: string): Promise<Dataset> {
    const ds = await this.access.guard.readable(reader.principal, id);
    return ds.kind === 'statistics' ? this.hub.getTable(id) : ds;
  }

  /** Records a read of restricted data (public reads are skipped by the audit log). */
  private audited(reader: Reader, ds: Dataset, action: string, featureCount?: number): void {
    this.access.audit.recordRead({
      principal: reader.principal,
      origin: reader.origin,
      action,
      datasetId: ds.id,
      classification: ds.classification,
      ...(featureCount !== undefined ? { featureCount } : {}),
    });
  }

  private crsHeaders(crs: CrsDef, ds: Dataset): Record<string, string> {
    return { 'content-crs': `<${crs.uri}>`, 'x-yitu-dataset-version': String(ds.currentVersion) };
  }

  /** The page, with numberMatched worked out beside it (on a server the two run at once). */
  private async pageAndCount(ds: Dataset, p: ItemsParams, sel: Selection): Promise<{ features: string; returned: number; matched: { n: number; estimated: boolean } }> {
    const page = pageSql(ds, sel, { ...p, limit: p.limit, offset: p.offset, joined: true });
    const pageP = this.hub.db.query<{ n: number; features: string }>(page.sql, page.params).then((r) => r.rows[0]);
    const returnedP = pageP.then((r) => Number(r.n));
    const matchedP = this.numberMatched(ds, p, sel, returnedP);
    matchedP.catch(() => {});
    const [{ features }, returned, matched] = await Promise.all([pageP, returnedP, matchedP]);
    return { features, returned, matched };
  }

  /**
   * The page of a narrowed selection on the embedded database, which runs one statement at a time:
   * the planner's estimate first; below the exact-count threshold the page statement also counts
   * every matching row (`count(*) OVER ()` before the page is cut). A small window's rows are all
   * read to sort the page anyway, so the count costs one statement less than counting apart
   * (bench/items-page.ts: PGlite 1k–10k-match windows).
   */
  private async pageWithCount(ds: Dataset, p: ItemsParams, sel: Selection): Promise<{ features: string; returned: number; matched: { n: number; estimated: boolean } }> {
    const db = this.hub.db;
    const estimate = await estimateRows(db, ds, sel);
    const withTotal = estimate < this.config.exactCountThreshold;
    const page = pageSql(ds, sel, { ...p, limit: p.limit, offset: p.offset, joined: true, withTotal });
    const row = (await db.query<{ n: number; total?: number | null; features: string }>(page.sql, page.params)).rows[0];
    const returned = Number(row.n);
    let matched: { n: number; estimated: boolean };
    if (withTotal && row.total !== null && row.total !== undefined) matched = { n: Number(row.total), estimated: false };
    else if (returned < p.limit && (returned > 0 || p.offset === 0)) matched = { n: p.offset + returned, estimated: false };
    else if (withTotal) matched = { n: await countRows(db, ds, sel), estimated: false };
    else matched = { n: estimate, estimated: true };
    return { features: row.features, returned, matched };
  }

  /**
   * numberMatched: the catalog's count without bbox/datetime/filter. Otherwise a short page tells
   * the total by itself; else the planner's estimate (asked while the page is read, on a server)
   * decides: at or above the exact-count threshold it is returned, flagged; below, rows are counted.
   */
  private async numberMatched(ds: Dataset, p: ItemsParams, sel: Selection, returnedP: Promise<number>): Promise<{ n: number; estimated: boolean }> {
    if (!sel.narrowed) {
      if (p.version === undefined || p.version === ds.currentVersion) return { n: ds.featureCount, estimated: false };
      return { n: (await this.hub.version(ds.id, p.version)).featureCount, estimated: false };
    }
    const db = this.hub.db;
    const short = async () => {
      const returned = await returnedP;
      return returned < p.limit && (returned > 0 || p.offset === 0) ? { n: p.offset + returned, estimated: false } : null;
    };
    const estimate = await estimateRows(db, ds, sel);
    if (estimate >= this.config.exactCountThreshold) return { n: estimate, estimated: true };
    if (estimate <= p.offset + p.limit) {
      const n = await short();
      if (n) return n;
    }
    return { n: await countRows(db, ds, sel), estimated: false };
  }

  /** Counts a use of the dataset without delaying the response. */
  private used(id: string): void {
    this.hub.countUsage(id).catch((err: unknown) => this.log.warn({ err, dataset: id }, 'could not count a dataset use'));
  }
}

/** Parses a feature id of a URL (a positive integer), or fails with 404. */
export function parseFid(raw: string, dataset: string): number {
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new YituError('YITU_ERR_FEATURE_NOT_FOUND', `Collection "${dataset}" has no feature "${raw.slice(0, 60)}"; feature ids are positive integers.`);
  }
  return n;
}

function notFound(ds: Dataset, fid: number, version?: number): YituError {
  return new YituError(
    'YITU_ERR_FEATURE_NOT_FOUND',
    `Collection "${ds.id}" has no feature ${fid}${version !== undefined ? ` at version ${version}` : ' (it may have been deleted; older versions keep it: add ?version=N)'}.`,
  );
}
