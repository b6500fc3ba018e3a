import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { YituError } from '../platform/errors.ts';
import type { Config } from '../platform/config.ts';
import { intParam, parseBbox } from '../platform/params.ts';
import type { HubService } from './service.ts';
import { CLASSIFICATIONS, COLUMN_TYPES, IMPORT_MODES, THEMES, assertVersion, columnTitlesSchema, datasetIdSchema } from './model.ts';
import { receiveUpload, uploadScope } from './upload.ts';
import type { ImportRequest } from './import-service.ts';
import { exportFormat, exportStream, exportToFile } from './export.ts';
import { openSource } from './formats/open-source.ts';
import { PREVIEW_MAX_SAMPLE, type PreviewRequest, previewFile } from './preview.ts';
import { requireUser } from '../access/guard.ts';
import type { Dataset } from './model.ts';
import { type RouteAccess, authoriseImport, recordRead, recordWrite, withAccess } from './route-access.ts';

const bool = z.preprocess((v) => (typeof v === 'string' ? /^(1|true|yes|on)$/i.test(v) : v), z.boolean());

/** A form field holding JSON (multipart fields are strings), checked against `schema`. */
function jsonField<T extends z.ZodType>(schema: T, example: string) {
  return z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON such as ${example}` });
      return z.NEVER;
    }
  }, schema);
}

/** Import options as they come in a form or query string. */
export const importOptionsSchema = z
  .object({
    dataset: datasetIdSchema.optional(),
    mode: z.enum(IMPORT_MODES).default('create'),
    format: z.enum(['geojson', 'ndjson', 'csv', 'shapefile', 'geopackage', 'flatgeobuf', 'kml']).optional(),
    crs: z.preprocess((v) => (typeof v === 'string' ? Number(v.replace(/^(EPSG:|urn:ogc:def:crs:EPSG::)/i, '')) : v), z.number().int().positive()).optional(),
    coords: z.enum(['wgs84', 'gcj02', 'bd09']).optional(),
    encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).optional(),
    x: z.string().max(200).optional(),
    y: z.string().max(200).optional(),
    wkt: z.string().max(200).optional(),
    layer: z.string().max(200).optional(),
    key: z.string().max(200).optional(),
    skipInvalid: bool.optional(),
    types: jsonField(z.record(z.string(), z.enum(COLUMN_TYPES)), '{"code":"text"}').optional(),
    columnTitles: jsonField(columnTitlesSchema, '{"land_class":{"zh":"用地分类","en":"Land class"}}').optional(),
    message: z.string().max(2000).optional(),
    title: z.string().max(200).optional(),
    titleEn: z.string().max(200).optional(),
    description: z.string().max(10_000).optional(),
    department: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/).optional(),
    theme: z.enum(THEMES).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    keywords: z.string().max(2000).optional(),
    editable: bool.optional(),
    filename: z.string().optional(),
  })
  .strict();

/** Maps import options (form/query/CLI) to an import request. */
export function toImportRequest(o: z.infer<typeof importOptionsSchema>, file: string, originalName: string, datasetId: string): ImportRequest {
  const req: ImportRequest = { datasetId, mode: o.mode, file, originalName };
  if (o.format) req.format = o.format;
  if (o.crs) req.crs = o.crs;
  if (o.coords) req.coords = o.coords;
  if (o.encoding) req.encoding = o.encoding;
  if (o.x) req.xField = o.x;
  if (o.y) req.yField = o.y;
  if (o.wkt) req.wktField = o.wkt;
  if (o.layer) req.layer = o.layer;
  if (o.key) req.key = o.key;
  if (o.skipInvalid !== undefined) req.skipInvalid = o.skipInvalid;
  if (o.types) req.types = o.types;
  if (o.message) req.message = o.message;
  const m: NonNullable<ImportRequest['metadata']> = {};
  if (o.title) m.titleZh = o.title;
  if (o.titleEn) m.titleEn = o.titleEn;
  if (o.description) m.descriptionZh = o.description;
  if (o.department) m.department = o.department;
  if (o.theme) m.theme = o.theme;
  if (o.classification) m.classification = o.classification;
  if (o.keywords) m.keywords = o.keywords.split(/[,，;；]/).map((k) => k.trim()).filter(Boolean);
  if (o.editable !== undefined) m.editable = o.editable;
  if (o.columnTitles) m.columnTitles = o.columnTitles;
  if (Object.keys(m).length) req.metadata = m;
  return req;
}

/** Derives a dataset id from a file name: `土地 parcels-2024.zip` → `parcels_2024`. */
export function datasetIdFromFileName(name: string): string {
  const base = path.basename(name).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const id = /^[a-z]/.test(base) ? base : `dataset_${base}`;
  return id.replace(/_+$/, '').slice(0, 63) || 'dataset';
}

function parseOptions(fields: Record<string, string>) {
  const r = importOptionsSchema.safeParse(fields);
  if (!r.success) {
    throw new YituError('YITU_ERR_INPUT_INVALID', r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  }
  return r.data;
}

/**
 * Routes of the data hub: catalog, imports, versions. Every route decides through the access
 * guard with the caller's principal: the catalog lists what the caller may see; reading a dataset
 * (entry, versions, diff, export) needs `readable` (a hidden dataset is not found, worded as a
 * missing one), and diffs and exports keep to the caller's regional scope; changing it (metadata,
 * classification, imports, rollback, removal) needs `writable`, a new dataset `assertCreate`.
 * Writes are audited at once, reads of restricted data buffered (`dataset.read`, `dataset.versions`,
 * `dataset.diff`, `dataset.export`).
 */
export async function hubRoutes(app: FastifyInstance, opts: { hub: HubService; config: Config } & RouteAccess): Promise<void> {
  const { hub, config, guard, audit } = opts;
  const uploads = path.join(config.dataDir, 'uploads');
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  /** A dataset with its own table (features or a plain table) the caller may read. */
  const readableTable = async (req: FastifyRequest): Promise<Dataset> => {
    const ds = await guard.readable(req.principal, idOf(req));
    return ds.kind === 'statistics' ? hub.getTable(ds.id) : ds;
  };
  /** A dataset the caller may change (401 for the anonymous, whatever the id). */
  const writable = (req: FastifyRequest): Promise<Dataset> => {
    requireUser(req.principal);
    return guard.writable(req.principal, idOf(req));
  };

  app.get('/datasets', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const limit = intParam('limit', q.limit, 1) ?? 100;
    const visible = await guard.visibility(req.principal);
    const r = await hub.search({
      ...(visible ? { visible } : {}),
      ...(q.q ? { q: q.q } : {}),
      ...(q.theme ? { theme: q.theme } : {}),
      ...(q.department ? { department: q.department } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.bbox ? { bbox: parseBbox(q.bbox) } : {}),
      limit: Math.min(limit, 1000),
      offset: intParam('offset', q.offset) ?? 0,
    });
    return { datasets: r.items, total: r.total };
  });

  app.get('/datasets/:id', async (req) => {
    const ds = await guard.readable(req.principal, idOf(req));
    recordRead(audit, req, 'dataset.read', ds);
    return withAccess(req.principal, ds);
  });
  app.patch('/datasets/:id', async (req) => {
    const before = await writable(req);
    const after = await hub.updateMetadata(before.id, req.body);
    const fields = Object.keys((req.body ?? {}) as object);
    if (after.classification !== before.classification) {
      await recordWrite(audit, req, 'dataset.classification', after, { from: before.classification, to: after.classification });
    }
    if (fields.some((f) => f !== 'classification')) await recordWrite(audit, req, 'dataset.metadata', after, { fields: fields.filter((f) => f !== 'classification') });
    return withAccess(req.principal, after);
  });
  app.delete('/datasets/:id', async (req, reply) => {
    const ds = await writable(req);
    await hub.remove(ds.id);
    await recordWrite(audit, req, 'dataset.remove', ds);
    return reply.status(204).send();
  });

  await uploadScope(app, config.maxUploadBytes, (scope) => {
    const handler = async (req: FastifyRequest, reply: FastifyReply, idFromPath?: string) => {
      requireUser(req.principal);
      const upload = await receiveUpload(req, uploads, config.maxUploadBytes);
      try {
        const o = parseOptions(upload.fields);
        const id = idFromPath ?? o.dataset ?? datasetIdFromFileName(upload.originalName);
        datasetIdSchema.parse(id);
        const who = await authoriseImport(hub.db, guard, req.principal, id, o.mode, o.department);
        const request = toImportRequest(o, upload.file, upload.originalName, id);
        request.createdBy = who.userId;
        // A new dataset belongs to the department it was authorised for (the importer's by default).
        if (!who.existing && who.department && !o.department) request.metadata = { ...request.metadata, department: who.department };
        const job = await hub.submitImport(request, upload.dir);
        const target = { id, classification: o.classification ?? who.existing?.classification ?? 'internal' };
        await recordWrite(audit, req, 'dataset.import', target, { jobId: job.id, mode: o.mode, file: upload.originalName });
        if (who.existing && o.classification && o.classification !== who.existing.classification) {
          await recordWrite(audit, req, 'dataset.classification', target, { from: who.existing.classification, to: o.classification, jobId: job.id });
        }
        return reply.status(202).header('Location', `/jobs/${job.id}`).send(job);
      } catch (e) {
        await rm(upload.dir, { recursive: true, force: true });
        if (e instanceof z.ZodError) throw new YituError('YITU_ERR_DATASET_ID_INVALID', e.issues[0].message);
        throw e;
      }
    };
    scope.post('/imports', (req, reply) => handler(req, reply));
    scope.post('/datasets/preview', async (req) => {
      requireUser(req.principal);
      const upload = await receiveUpload(req, uploads, config.maxUploadBytes);
      try {
        const { sample, ...fields } = upload.fields;
        const o = parseOptions(fields);
        const r = toImportRequest(o, upload.file, upload.originalName, 'preview');
        const p: PreviewRequest = { file: upload.file, originalName: upload.originalName };
        if (r.format) p.format = r.format;
        if (r.encoding) p.encoding = r.encoding;
        if (r.crs) p.crs = r.crs;
        if (r.xField) p.xField = r.xField;
        if (r.yField) p.yField = r.yField;
        if (r.wktField) p.wktField = r.wktField;
        if (r.layer) p.layer = r.layer;
        if (r.types) p.types = r.types;
        if (sample !== undefined) p.sample = intParam('sample', sample, 1) ?? PREVIEW_MAX_SAMPLE;
        return await previewFile({ openSource }, p);
      } finally {
        await rm(upload.dir, { recursive: true, force: true });
      }
    });
    scope.post('/datasets/:id/imports', (req, reply) => handler(req, reply, (req.params as { id: string }).id));
  });

  app.get('/datasets/:id/versions', async (req) => {
    const ds = await readableTable(req);
    const versions = await hub.versions(ds.id);
    recordRead(audit, req, 'dataset.versions', ds);
    return { versions };
  });
  app.get('/datasets/:id/versions/:v', async (req) => {
    const ds = await guard.readable(req.principal, idOf(req));
    const v = await hub.version(ds.id, intParam('version', (req.params as { v: string }).v, 1)!);
    recordRead(audit, req, 'dataset.versions', ds);
    return v;
  });
  app.get('/datasets/:id/diff', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const ds = await readableTable(req);
    const to = intParam('to', q.to, 1) ?? ds.currentVersion;
    const from = intParam('from', q.from, 1) ?? Math.max(1, to - 1);
    const page = { limit: intParam('limit', q.limit, 1) ?? 100, offset: intParam('offset', q.offset) ?? 0, scope: guard.scope(req.principal, ds) };
    const diff = await hub.diff(ds.id, from, to, page);
    recordRead(audit, req, 'dataset.diff', ds, diff.changes.length);
    return diff;
  });
  app.get('/datasets/:id/export', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const ds = await readableTable(req);
    const format = exportFormat(q.format ?? q.f);
    const version = intParam('version', q.version, 1);
    if (version !== undefined) assertVersion(ds, version);
    void hub.countUsage(ds.id).catch((e) => req.log.warn({ err: e }, 'usage count failed'));
    // Audited once every feature has been read, with their number.
    const limits = { scope: guard.scope(req.principal, ds), onDone: (n: number) => recordRead(audit, req, 'dataset.export', ds, n) };
    const base = version ? `${ds.id}_v${version}` : ds.id;
    if (format === 'geojson' || format === 'csv') {
      const ext = format === 'geojson' ? 'geojson' : 'csv';
      reply
        .type(format === 'geojson' ? 'application/geo+json; charset=utf-8' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${base}.${ext}"`);
      return reply.send(Readable.from(exportStream(hub.db, ds, format, version, limits)));
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'yitu-export-'));
    try {
      const r = await exportToFile(hub.db, ds, format, dir, version, limits);
      const body = createReadStream(r.path);
      body.on('close', () => void rm(dir, { recursive: true, force: true }));
      return reply.type(r.contentType).header('content-disposition', `attachment; filename="${r.fileName}"`).send(body);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  });

  app.post('/datasets/:id/rollback', async (req) => {
    const ds = await writable(req);
    const body = z.object({ version: z.number().int().min(1), message: z.string().max(2000).optional() }).strict().safeParse(req.body);
    if (!body.success) throw new YituError('YITU_ERR_INPUT_INVALID', 'Send {"version": N} with the version to roll back to.');
    const after = await hub.rollback(ds.id, body.data.version, body.data.message);
    await recordWrite(audit, req, 'dataset.rollback', after, { to: body.data.version, version: after.currentVersion });
    return withAccess(req.principal, after);
  });
}
