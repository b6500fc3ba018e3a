import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { type OgcTestApp, createDataset, openOgcTestApp } from '../ogc/test-app.ts';
import { anonymous, createTestUser } from '../test-support/auth.ts';
import { memorySource } from '../hub/formats/memory-source.ts';
import { smallCounty } from '../regions/test-regions.ts';
import { type Level, type Who, LEVELS, OWN, READ, WEST_TOWN, WHO, WRITE, matrixFeatures, moreFeatures, tileOf } from './matrix-table.ts';

/**
 * The authorisation matrix (issue 4, §7): every kind of principal × every classification × every
 * data path, against the expected answers written by hand in `matrix-table.ts` (not computed from
 * policy.ts, so that a wrong rule fails here). Read paths answer 200 (or list the dataset) where the
 * table says "reads", else 404 (or leave it out); writes answer as the WRITE table says.
 */
describeEachBackend('authorisation matrix', (kind) => {
  let t: OgcTestApp;
  const headers = {} as Record<Who, Record<string, string>>;

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    const s = t.services;
    await s.regions.loadRegions(smallCounty());
    const user = async (roles: Parameters<typeof createTestUser>[1]['roles'], department: string, regionCodes?: string[]) =>
      (await createTestUser(s, { roles, department, ...(regionCodes ? { regionCodes } : {}) })).headers;
    headers.anonymous = anonymous;
    headers.admin = t.admin.headers;
    headers.stewardOwn = await user(['data_steward'], OWN);
    headers.stewardOther = await user(['data_steward'], 'other-bureau');
    headers.analystOwn = await user(['analyst'], OWN);
    headers.analystOther = await user(['analyst'], 'other-bureau');
    headers.leaderOther = await user(['leader'], 'other-bureau');
    headers.gridWorker = await user(['grid_worker'], OWN, [WEST_TOWN]);
    headers.grantee = await user(['analyst'], 'grantee-bureau');
    for (const level of LEVELS) {
      const meta = { department: OWN, classification: level, titleEn: `matrix ${level}` };
      // m_*: read paths (two versions: 4 features, then 2 more); w_*: write paths.
      await createDataset(s, `m_${level}`, matrixFeatures(), meta);
      await s.hub.importAndWait({ datasetId: `m_${level}`, mode: 'append', source: memorySource(moreFeatures()) });
      await createDataset(s, `w_${level}`, matrixFeatures(), { ...meta, titleEn: `writable ${level}` });
      await s.stats.importRows(['code', 'period', 'pop'], [{ code: '330521001', period: '2023', pop: 10 }, { code: '330521102', period: '2023', pop: 20 }], {
        datasetId: `s_${level}`, mode: 'create', metadata: { ...meta, titleEn: `matrix stats ${level}` },
      });
    }
    for (const id of ['m_confidential', 'w_confidential', 's_confidential']) {
      await s.db.query(
        `INSERT INTO yitu.dataset_grants (id, dataset_id, department_id, reason, expires_at) VALUES (gen_random_uuid(), $1, 'grantee-bureau', 'matrix', now() + interval '7 days')`,
        [id],
      );
    }
    s.guard.forget();
  }, 300_000);
  afterAll(async () => t?.close());

  const get = (who: Who, url: string) => t.app.inject({ url, headers: headers[who] });

  /** Runs `check` for every principal and level; collects the cells whose answer differs from the expected one. */
  async function matrix(check: (who: Who, level: Level) => Promise<{ got: unknown; want: unknown }>): Promise<void> {
    const wrong: string[] = [];
    for (const who of WHO) {
      for (const level of LEVELS) {
        const { got, want } = await check(who, level);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${who} × ${level}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
    }
    expect(wrong).toEqual([]);
  }
  const status = (reads: boolean) => (reads ? 200 : 404);
  /** The feature ids a principal gets of an m_ dataset: the west ones only when scoped (non-public data). */
  const idsFor = (who: Who, level: Level) => (who === 'gridWorker' && level !== 'public' ? [1, 2, 5] : [1, 2, 3, 4, 5, 6]);

  it('catalog listing shows exactly the readable datasets', () =>
    matrix(async (who, level) => {
      const ids = (await get(who, '/datasets?limit=1000')).json().datasets.map((d: { id: string }) => d.id);
      return { got: [ids.includes(`m_${level}`), ids.includes(`s_${level}`)], want: [READ[who][level], READ[who][level]] };
    }));

  it('catalog search (?q=) finds exactly the readable datasets', () =>
    matrix(async (who, level) => {
      const r = (await get(who, `/datasets?q=${encodeURIComponent(`matrix ${level}`)}`)).json();
      return { got: r.datasets.map((d: { id: string }) => d.id).sort(), want: READ[who][level] ? [`m_${level}`] : [] };
    }));

  it('GET /datasets/:id answers 200 or 404, with what the caller may do', () =>
    matrix(async (who, level) => {
      const res = await get(who, `/datasets/m_${level}`);
      const access = res.statusCode === 200 ? res.json().access : null;
      const want = READ[who][level] ? { read: true, write: WRITE[who][level] === 'ok', grant: WRITE[who][level] === 'ok' } : null;
      return { got: [res.statusCode, access], want: [status(READ[who][level]), want] };
    }));

  it('/collections lists exactly the readable collections', () =>
    matrix(async (who, level) => {
      const ids = (await get(who, '/collections')).json().collections.map((c: { id: string }) => c.id);
      return { got: ids.includes(`m_${level}`), want: READ[who][level] };
    }));

  it('/collections/:id and its queryables answer 200 or 404', () =>
    matrix(async (who, level) => {
      const a = await get(who, `/collections/m_${level}`);
      const b = await get(who, `/collections/m_${level}/queryables`);
      return { got: [a.statusCode, b.statusCode], want: [status(READ[who][level]), status(READ[who][level])] };
    }));

  it('items: 200 with the features of the scope (numberMatched and ids), or 404', () =>
    matrix(async (who, level) => {
      const res = await get(who, `/collections/m_${level}/items?limit=100`);
      if (res.statusCode !== 200) return { got: res.statusCode, want: status(READ[who][level]) };
      const fc = res.json();
      const ids = fc.features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b);
      return { got: [200, fc.numberMatched, ids], want: READ[who][level] ? [200, idsFor(who, level).length, idsFor(who, level)] : 404 };
    }));

  it('one item: 200 or 404; a feature outside the scope is not found', () =>
    matrix(async (who, level) => {
      const west = (await get(who, `/collections/m_${level}/items/1`)).statusCode;
      const east = (await get(who, `/collections/m_${level}/items/3`)).statusCode;
      const r = READ[who][level];
      return { got: [west, east], want: [status(r), status(r && idsFor(who, level).includes(3))] };
    }));

  it('tiles: a tile of a readable collection, or 404', () =>
    matrix(async (who, level) => {
      const { z, x, y } = tileOf(120.05, 30.5, 8);
      const res = await get(who, `/collections/m_${level}/tiles/WebMercatorQuad/${z}/${y}/${x}`);
      return { got: res.statusCode === 204 ? 200 : res.statusCode, want: status(READ[who][level]) };
    }));

  it('export: the features of the scope, or 404', () =>
    matrix(async (who, level) => {
      const res = await get(who, `/datasets/m_${level}/export?format=geojson`);
      if (res.statusCode !== 200) return { got: res.statusCode, want: status(READ[who][level]) };
      const ids = JSON.parse(res.body).features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b);
      return { got: [200, ids], want: READ[who][level] ? [200, idsFor(who, level)] : 404 };
    }));

  it('versions: 200 or 404', () =>
    matrix(async (who, level) => {
      const a = await get(who, `/datasets/m_${level}/versions`);
      const b = await get(who, `/datasets/m_${level}/versions/1`);
      return { got: [a.statusCode, b.statusCode], want: [status(READ[who][level]), status(READ[who][level])] };
    }));

  it('diff: the changes within the scope, or 404', () =>
    matrix(async (who, level) => {
      const res = await get(who, `/datasets/m_${level}/diff?from=1&to=2`);
      if (res.statusCode !== 200) return { got: res.statusCode, want: status(READ[who][level]) };
      const added = res.json().changes.filter((c: { change: string }) => c.change === 'added').map((c: { id: number }) => c.id);
      return { got: [200, added], want: READ[who][level] ? [200, idsFor(who, level).filter((i) => i > 4)] : 404 };
    }));

  it('/stats: a statistical table is listed and read by the same rules', () =>
    matrix(async (who, level) => {
      const listed = (await get(who, '/stats?limit=1000')).json().tables.map((d: { id: string }) => d.id).includes(`s_${level}`);
      const values = (await get(who, `/stats/s_${level}/values`)).statusCode;
      const entry = (await get(who, `/stats/s_${level}`)).statusCode;
      const r = READ[who][level];
      return { got: [listed, values, entry], want: [r, status(r), status(r)] };
    }));

  it('writes: PATCH metadata', () =>
    matrix(async (who, level) => {
      const res = await t.app.inject({ method: 'PATCH', url: `/datasets/w_${level}`, headers: headers[who], payload: { descriptionEn: `by ${who}` } });
      return { got: res.statusCode, want: WRITE[who][level] === 'ok' ? 200 : WRITE[who][level] };
    }));

  it('writes: import into the dataset', () =>
    matrix(async (who, level) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/datasets/w_${level}/imports?mode=append`,
        headers: { ...headers[who], 'content-type': 'application/geo+json', 'content-disposition': 'attachment; filename="more.geojson"' },
        payload: JSON.stringify({ type: 'FeatureCollection', features: moreFeatures().map((f) => ({ type: 'Feature', ...f })) }),
      });
      if (res.statusCode === 202) expect((await t.services.jobs.wait(res.json().id)).status).toBe('successful');
      return { got: res.statusCode, want: WRITE[who][level] === 'ok' ? 202 : WRITE[who][level] };
    }));

  it('writes: classification change', () =>
    matrix(async (who, level) => {
      const to = level === 'confidential' ? 'internal' : 'confidential';
      const res = await t.app.inject({ method: 'PATCH', url: `/datasets/w_${level}`, headers: headers[who], payload: { classification: to } });
      if (res.statusCode === 200) {
        expect(res.json().classification).toBe(to);
        await t.app.inject({ method: 'PATCH', url: `/datasets/w_${level}`, payload: { classification: level } });
      }
      return { got: res.statusCode, want: WRITE[who][level] === 'ok' ? 200 : WRITE[who][level] };
    }));

  it('regional scope: in-scope features of an internal dataset with filters and paging, all of a public one, all rows of a table', async () => {
    const items = async (url: string) => (await get('gridWorker', url)).json();
    const scoped = await items('/collections/m_internal/items?limit=2');
    expect([scoped.numberMatched, scoped.numberReturned, scoped.features.map((f: { id: number }) => f.id)]).toEqual([3, 2, [1, 2]]);
    expect((await items('/collections/m_internal/items?limit=2&offset=2')).features.map((f: { id: number }) => f.id)).toEqual([5]);
    // A bbox over both towns, and a filter naming an east feature: still only the west ones.
    expect((await items('/collections/m_internal/items?bbox=119.9,30.4,120.2,30.7')).numberMatched).toBe(3);
    expect((await items(`/collections/m_internal/items?filter=${encodeURIComponent("name='e3'")}`)).numberMatched).toBe(0);
    expect((await items('/collections/m_internal/items?version=1')).features.map((f: { id: number }) => f.id)).toEqual([1, 2]);
    expect((await items('/collections/m_public/items')).numberMatched).toBe(6);
    // Rows without geometry (a plain table) are not limited by region.
    await createDataset(t.services, 'm_table', [{ geometry: null, properties: { name: 'a' } }, { geometry: null, properties: { name: 'b' } }], { department: OWN, classification: 'internal' });
    expect((await items('/collections/m_table/items')).numberMatched).toBe(2);
    expect((await get('analystOwn', '/collections/m_internal/items')).json().numberMatched).toBe(6);
  });

  it('audits reads of restricted data (with the features returned) and writes, not reads of public data', async () => {
    await get('analystOwn', '/collections/m_internal/items?limit=3');
    await get('analystOwn', '/collections/m_public/items?limit=3');
    await t.services.audit.flush();
    const ev = await t.services.db.query<{ action: string; dataset_id: string; feature_count: number; classification: string }>(
      `SELECT e.action, e.dataset_id, e.feature_count::int AS feature_count, e.classification FROM yitu.audit_events e
       JOIN yitu.users u ON u.id = e.actor_id WHERE u.department_id = $1 AND 'analyst' = ANY(u.roles) AND e.action = 'features.read'`,
      [OWN],
    );
    const internal = ev.rows.filter((e) => e.dataset_id === 'm_internal');
    expect(internal.length).toBeGreaterThan(0);
    expect(internal.reduce((n, e) => n + e.feature_count, 0)).toBeGreaterThanOrEqual(3);
    expect(ev.rows.some((e) => e.dataset_id === 'm_public')).toBe(false);
    const writes = await t.services.db.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM yitu.audit_events WHERE dataset_id LIKE 'w\\_%' GROUP BY action ORDER BY action`,
    );
    expect(writes.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['dataset.classification', 'dataset.import', 'dataset.metadata']));
  });
});
