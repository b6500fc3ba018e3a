import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { YituError } from '../platform/errors.ts';
import { intParam } from '../platform/params.ts';
import type { Config } from '../platform/config.ts';
import { CLASSIFICATIONS, THEMES, datasetIdSchema } from '../hub/model.ts';
import { receiveUpload, uploadScope } from '../hub/upload.ts';
import { datasetIdFromFileName } from '../hub/routes.ts';
import { LEVELS, type RegionLevel } from '../regions/model.ts';
import { STAT_IMPORT_MODES, type StatImportOptions, type StatValuesQuery } from './model.ts';
import type { StatsService } from './service.ts';
import { requireUser } from '../access/guard.ts';
import { type RouteAccess, authoriseImport, recordRead, recordWrite, withAccess } from '../hub/route-access.ts';

type Query = Record<string, string | string[] | undefined>;

const bool = z.preprocess((v) => (typeof v === 'string' ? /^(1|true|yes|on)$/i.test(v) : v), z.boolean());
const indicatorMeta = z.record(z.string(), z.object({ titleZh: z.string().max(200).optional(), titleEn: z.string().max(200).optional(), unit: z.string().max(50).optional() }).strict());

/** Import options as they come in a form or a query string. */
export const statImportOptionsSchema = z
  .object({
    dataset: datasetIdSchema.optional(),
    mode: z.enum(STAT_IMPORT_MODES).optional(),
    encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).optional(),
    regionColumn: z.string().max(200).optional(),
    periodColumn: z.string().max(200).optional(),
    period: z.string().max(20).optional(),
    ignore: z.string().max(2000).optional(),
    skipUnknownRegions: bool.optional(),
    indicators: z.preprocess((v) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return Symbol('invalid JSON');
      }
    }, indicatorMeta).optional(),
    title: z.string().max(200).optional(),
    titleEn: z.string().max(200).optional(),
    description: z.string().max(10_000).optional(),
    descriptionEn: z.string().max(10_000).optional(),
    department: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/).optional(),
    theme: z.enum(THEMES).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    keywords: z.string().max(2000).optional(),
    source: z.string().max(1000).optional(),
    licence: z.string().max(200).optional(),
    updateFrequency: z.enum(['once', 'monthly', 'quarterly', 'yearly', 'irregular']).optional(),
    message: z.string().max(2000).optional(),
    filename: z.string().optional(),
  })
  .strict();

function toOptions(o: z.infer<typeof statImportOptionsSchema>, datasetId: string, mode: StatImportOptions['mode'], originalName: string): StatImportOptions {
  const r: StatImportOptions = { datasetId, mode, originalName };
  if (o.encoding) r.encoding = o.encoding;
  if (o.regionColumn) r.regionColumn = o.regionColumn;
  if (o.periodColumn) r.periodColumn = o.periodColumn;
  if (o.period) r.period = o.period;
  if (o.ignore) r.ignoreColumns = o.ignore.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  if (o.skipUnknownRegions !== undefined) r.skipUnknownRegions = o.skipUnknownRegions;
  if (o.indicators) r.indicators = o.indicators;
  if (o.message) r.message = o.message;
  const m: NonNullable<StatImportOptions['metadata']> = {};
  if (o.title) m.titleZh = o.title;
  if (o.titleEn) m.titleEn = o.titleEn;
  if (o.description) m.descriptionZh = o.description;
  if (o.descriptionEn) m.descriptionEn = o.descriptionEn;
  if (o.department) m.department = o.department;
  if (o.theme) m.theme = o.theme;
  if (o.classification) m.classification = o.classification;
  if (o.keywords) m.keywords = o.keywords.split(/[,，;；]/).map((k) => k.trim()).filter(Boolean);
  if (o.source) m.source = o.source;
  if (o.licence) m.licence = o.licence;
  if (o.updateFrequency) m.updateFrequency = o.updateFrequency;
  if (Object.keys(m).length) r.metadata = m;
  return r;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

/** A list parameter: comma-separated, or repeated (then taken as it is, so names may hold commas). */
function listParam(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined || v === '') return undefined;
  const l = Array.isArray(v) ? v : v.split(',');
  const out = l.map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

function levelParam(v: string | undefined): RegionLevel | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(LEVELS as readonly string[]).includes(v)) throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `level must be one of ${LEVELS.join(', ')}; got "${v}".`);
  return v as RegionLevel;
}

function valuesQuery(q: Query): StatValuesQuery {
  const out: StatValuesQuery = {};
  const indicators = listParam(q.indicator);
  const periods = listParam(q.period);
  const level = levelParam(one(q.level));
  const region = one(q.region);
  const version = intParam('version', one(q.version), 1);
  if (indicators) out.indicators = indicators;
  if (periods) out.periods = periods;
  if (level) out.level = level;
  if (region) out.region = region;
  if (version !== undefined) out.version = version;
  return out;
}

/**
 * Routes of statistical tables: import (synchronous), list, metadata, values, thematic GeoJSON, CSV
 * export. A statistical table is a dataset of kind `statistics` with a classification, under the
 * same rules as any dataset: the list shows what the caller may see, reads need `guard.readable`
 * (audited as `stats.read` for restricted tables), imports and removal the stewards' rights.
 * Statistical tables are figures per region, not features: the regional scope does not filter them.
 */
export async function statsRoutes(app: FastifyInstance, opts: { stats: StatsService; config: Config } & RouteAccess): Promise<void> {
  const { stats, config, guard, audit } = opts;
  const uploads = path.join(config.dataDir, 'uploads');
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  /** The table when the caller may read it (a hidden one is not found, like a missing one). */
  const readable = async (req: FastifyRequest) => {
    const ds = await guard.readable(req.principal, idOf(req));
    return stats.table(ds.id);
  };

  await uploadScope(app, config.maxUploadBytes, (scope) => {
    const handler = async (req: FastifyRequest, reply: FastifyReply, idFromPath?: string) => {
      requireUser(req.principal);
      const upload = await receiveUpload(req, uploads, config.maxUploadBytes);
      let report;
      try {
        const parsed = statImportOptionsSchema.safeParse(upload.fields);
        if (!parsed.success) throw new YituError('YITU_ERR_INPUT_INVALID', parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
        const o = parsed.data;
        const id = idFromPath ?? o.dataset ?? datasetIdFromFileName(upload.originalName);
        const mode = o.mode ?? (idFromPath ? 'append' : 'create');
        const who = await authoriseImport(stats.db, guard, req.principal, id, mode, o.department);
        const options = toOptions(o, id, mode, upload.originalName);
        options.createdBy = who.userId;
        if (!who.existing && who.department && !o.department) options.metadata = { ...options.metadata, department: who.department };
        report = await stats.importCsv(upload.file, options);
        const target = { id, classification: o.classification ?? who.existing?.classification ?? 'internal' };
        await recordWrite(audit, req, 'dataset.import', target, { mode, version: report.version, file: upload.originalName });
        if (who.existing && o.classification && o.classification !== who.existing.classification) {
          await recordWrite(audit, req, 'dataset.classification', target, { from: who.existing.classification, to: o.classification });
        }
      } finally {
        // Synchronous import: the uploaded file is removed before the answer leaves.
        await rm(upload.dir, { recursive: true, force: true }).catch(() => {});
      }
      return reply.status(report.mode === 'create' ? 201 : 200).header('Location', `/stats/${report.datasetId}`).send(report);
    };
    scope.post('/stats', (req, reply) => handler(req, reply));
    scope.post('/stats/:id/imports', (req, reply) => handler(req, reply, (req.params as { id: string }).id));
  });

  app.get('/stats', async (req) => {
    const q = req.query as Query;
    const visible = await guard.visibility(req.principal);
    const r = await stats.list({
      ...(visible ? { visible } : {}),
      ...(one(q.q) ? { q: one(q.q)! } : {}),
      ...(one(q.department) ? { department: one(q.department)! } : {}),
      limit: intParam('limit', one(q.limit), 1, 1000) ?? 100,
      offset: intParam('offset', one(q.offset), 0) ?? 0,
    });
    return r;
  });

  app.get('/stats/:id', async (req) => {
    const ds = await readable(req);
    const table = await stats.get(ds.id);
    recordRead(audit, req, 'stats.read', ds);
    return withAccess(req.principal, table);
  });

  app.delete('/stats/:id', async (req, reply) => {
    requireUser(req.principal);
    const ds = await guard.writable(req.principal, idOf(req));
    await stats.remove(ds.id);
    await recordWrite(audit, req, 'dataset.remove', ds);
    return reply.status(204).send();
  });

  app.get('/stats/:id/values', async (req, reply) => {
    const ds = await readable(req);
    const id = ds.id;
    const q = req.query as Query;
    const f = one(q.f) ?? 'json';
    if (f !== 'json' && f !== 'csv') throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `f must be json or csv; got "${f}".`);
    if (f === 'csv') {
      recordRead(audit, req, 'stats.read', ds);
      return sendCsv(reply, stats, id, valuesQuery(q), one(q.encoding));
    }
    const r = await stats.values(id, { ...valuesQuery(q), limit: intParam('limit', one(q.limit), 1, 10_000) ?? 1000, offset: intParam('offset', one(q.offset), 0) ?? 0 });
    recordRead(audit, req, 'stats.read', ds, r.rows.length);
    return r;
  });

  app.get('/stats/:id/geojson', async (req, reply) => {
    const ds = await readable(req);
    const id = ds.id;
    const q = req.query as Query;
    const indicators = listParam(q.indicator);
    const period = one(q.period);
    const level = levelParam(one(q.level));
    const fc = await stats.geojson(id, { ...(indicators ? { indicators } : {}), ...(period ? { period } : {}), ...(level ? { level } : {}) });
    recordRead(audit, req, 'stats.read', ds, fc.features.length);
    return reply.type('application/geo+json').send(fc);
  });

  app.get('/stats/:id/export', async (req, reply) => {
    const ds = await readable(req);
    const q = req.query as Query;
    const format = one(q.format) ?? one(q.f) ?? 'csv';
    if (format !== 'csv') throw new YituError('YITU_ERR_EXPORT_FORMAT_UNKNOWN', `Statistical tables export as csv; got "${format}". For a map layer use /stats/{id}/geojson.`);
    recordRead(audit, req, 'stats.read', ds);
    return sendCsv(reply, stats, ds.id, valuesQuery(q), one(q.encoding));
  });
}

async function sendCsv(reply: FastifyReply, stats: StatsService, id: string, q: StatValuesQuery, encoding: string | undefined): Promise<FastifyReply> {
  const enc = (encoding ?? 'utf-8').toLowerCase();
  if (enc !== 'utf-8' && enc !== 'gbk') throw new YituError('YITU_ERR_QUERY_PARAM_INVALID', `encoding must be utf-8 or gbk; got "${encoding}".`);
  const gen = stats.exportCsv(id, q, enc);
  // Read the first chunk before answering, so that a bad id or parameter is a problem document, not a broken download.
  const first = await gen.next();
  async function* all() {
    if (!first.done) yield first.value;
    yield* gen;
  }
  return reply
    .type(`text/csv; charset=${enc}`)
    .header('content-disposition', `attachment; filename="${id}.csv"`)
    .send(Readable.from(all()));
}
