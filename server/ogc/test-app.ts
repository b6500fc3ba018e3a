import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, createServices, type Services } from '../app.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { memorySource } from '../hub/formats/memory-source.ts';
import type { DatasetMetadataInput } from '../hub/model.ts';
import { type BackendKind, openTestDb, type TestDb } from '../test-support/databases.ts';
import { createTestUser, injectAsDefault, type TestUser } from '../test-support/auth.ts';

/** An app over a fresh test database of one backend, not listening. */
export interface OgcTestApp {
  app: FastifyInstance;
  services: Services;
  db: TestDb;
  /** The administrator every `app.inject` acts as unless it sends its own credentials (or `anonymous`). */
  admin: TestUser;
  close(): Promise<void>;
}

/**
 * Builds the app (silent logger, no demo) over a fresh database. Requests go as an administrator
 * by default (see {@link OgcTestApp.admin}); access tests send their own users' headers.
 */
export async function openOgcTestApp(kind: BackendKind, overrides: Partial<Config> = {}): Promise<OgcTestApp> {
  const db = await openTestDb(kind);
  const { config } = loadConfig({}, { demoOnEmpty: false, logLevel: 'silent', dataDir: '/tmp/yitu-ogc-test', ...overrides });
  const services = createServices(config, db.db, pino({ level: 'silent' }));
  const app = await buildApp(services);
  const admin = await createTestUser(services, { roles: ['administrator'], username: 'test-admin' });
  injectAsDefault(app, admin.headers);
  return {
    app,
    services,
    db,
    admin,
    async close() {
      await app.close();
      await services.jobs.shutdown();
      await db.dispose();
    },
  };
}

/** A feature for fixtures. */
export type FixtureFeature = { geometry: import('geojson').Geometry | null; properties: Record<string, unknown> };

/** Creates a dataset through the hub's import. */
export async function createDataset(services: Services, id: string, features: FixtureFeature[], metadata: DatasetMetadataInput = {}): Promise<void> {
  await services.hub.importAndWait({ datasetId: id, mode: 'create', source: memorySource(features), metadata });
}

/** Points around Deqing (120°E, 30.5°N) with every column type. Feature 1 is at exactly (120, 30). */
export function poiFeatures(): FixtureFeature[] {
  const names = ['德清县人民政府', '武康街道办事处', '乾元镇卫生院', '新市镇中学', '莫干山景区', '下渚湖湿地', 'Deqing Station', "O'Brien Café", '钟管镇农贸市场', '禹越镇文化站'];
  const kinds = ['government', 'government', 'health', 'school', 'scenic', 'scenic', 'transport', 'shop', 'market', 'culture'];
  return names.map((name, i) => ({
    geometry: { type: 'Point', coordinates: i === 0 ? [120, 30] : [119.9 + i * 0.02, 30.4 + i * 0.02] },
    properties: {
      name,
      kind: kinds[i],
      pop: i * 100,
      area: i * 1.5,
      open: i % 2 === 0,
      built: `20${String(10 + i).padStart(2, '0')}-06-01`,
      updated: `2024-0${(i % 9) + 1}-15T08:00:00Z`,
      attrs: { floors: i },
      note: i === 3 ? null : `note ${i}`,
    },
  }));
}

/** A small grid of square parcels (0.01°) south-west of Deqing, editable. */
export function parcelFeatures(): FixtureFeature[] {
  const out: FixtureFeature[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const x = 119.9 + i * 0.01;
      const y = 30.5 + j * 0.01;
      out.push({
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
        properties: { code: `P${i}${j}`, landuse: (i + j) % 2 ? '耕地' : '建设用地', area_mu: 15 + i + j },
      });
    }
  }
  return out;
}

/** Parses a JSON response body. */
export function body<T = Record<string, unknown>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}
