import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { createDataset, type OgcTestApp, openOgcTestApp, poiFeatures } from './test-app.ts';

const SCRIPT = fileURLToPath(new URL('./test/qgis-oapif.py', import.meta.url));
/** Debian's Python, which python3-qgis installs into (a pyenv or venv `python3` on PATH would not see it). */
const PYTHON = '/usr/bin/python3';

/** Why QGIS's Python API cannot be used here, or null when it can. */
function qgisMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import qgis.core'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) return `QGIS's Python API is not installed (${(r.error?.message ?? r.stderr).trim().split('\n').pop()}); install python3-qgis and qgis-providers to run the QGIS interoperability test`;
  return null;
}

const missing = qgisMissing();
if (missing && process.env.CI) throw new Error(`CI is set but ${missing}`);
if (missing) console.log(`[yitu] Skipping the QGIS OAPIF test: ${missing}`);

/** What the script prints: the layer as QGIS's OAPIF provider read it. */
interface QgisRead {
  valid: boolean;
  crs: string;
  featureCount: number;
  fields: [string, string][];
  all: { attributes: Record<string, string | null>; wkt: string }[];
  inRect: { attributes: Record<string, string | null>; wkt: string }[];
}

let runtime: string | undefined;
/** A private (0700) runtime directory, as Qt wants one. */
function runtimeDir(): string {
  runtime ??= mkdtempSync(path.join(os.tmpdir(), 'yitu-qgis-'));
  return runtime;
}

function readWithQgis(base: string, collection: string, rect: number[]): Promise<QgisRead> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, base, collection, ...rect.map(String)], { env: { ...process.env, QT_QPA_PLATFORM: 'offscreen', XDG_RUNTIME_DIR: runtimeDir() }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`QGIS could not read ${collection}: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as QgisRead);
    });
  });
}

const suite = missing ? describe.skip : describeEachBackend;

suite('QGIS reads Yitu as an OGC API – Features server', (kind: 'pglite' | 'postgres' = 'pglite') => {
  let t: OgcTestApp;
  let base = '';
  const requests: string[] = [];

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    // QGIS reads over HTTP without credentials, as the public reads public data.
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', titleEn: 'POI', classification: 'public' });
    t.app.addHook('onRequest', async (req) => {
      requests.push(decodeURIComponent(req.url));
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => t?.close());

  it('opens the collection with its CRS, fields and every feature, Chinese text intact', async () => {
    const read = await readWithQgis(base, 'poi', [119.95, 30.41, 120.01, 30.51]);
    expect(read.valid).toBe(true);
    expect(read.crs).toBe('EPSG:4326');
    expect(read.featureCount).toBe(10);
    const fields = Object.fromEntries(read.fields);
    expect(fields).toMatchObject({ name: 'String', kind: 'String', pop: 'Integer' });
    // QGIS returns what it has cached first, so compare as sets.
    expect(read.all.map((f) => f.attributes.name).sort()).toEqual(poiFeatures().map((f) => String(f.properties.name)).sort());
    expect(read.all.find((f) => f.attributes.name === '德清县人民政府')?.wkt).toBe('Point (120 30)');

    // A spatial filter in QGIS reaches the server as bbox and returns what lies inside.
    expect(read.inRect.map((f) => f.attributes.name)).toEqual(['新市镇中学', '莫干山景区', '下渚湖湿地']);
    expect(requests.some((r) => r.startsWith('/collections/poi/items') && /bbox=119\.95\d*,30\.4\d*,120\.0\d*,30\.5\d*/.test(r)), requests.join('\n')).toBe(true);
  });
});
