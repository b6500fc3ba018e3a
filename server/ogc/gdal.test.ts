import { execFile, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { createDataset, type OgcTestApp, openOgcTestApp, poiFeatures } from './test-app.ts';

/** Why GDAL's ogrinfo cannot be used here, or null when it can. */
function ogrinfoMissing(): string | null {
  const r = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `ogrinfo is not installed (${r.error?.message ?? r.stderr}); install gdal-bin to run the GDAL interoperability test`;
  return null;
}

const missing = ogrinfoMissing();
if (missing && process.env.CI) throw new Error(`CI is set but ${missing}`);
if (missing) console.log(`[yitu] Skipping the GDAL OAPIF test: ${missing}`);

/** Runs ogrinfo (asynchronously: the server answers it from this process). */
function ogrinfo(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('ogrinfo', args, { env: { ...process.env, CPL_DEBUG: 'ON', GDAL_HTTP_TIMEOUT: '60' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ogrinfo ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

const suite = missing ? describe.skip : describeEachBackend;

suite('GDAL reads Yitu as an OGC API – Features server', (kind: 'pglite' | 'postgres' = 'pglite') => {
  let t: OgcTestApp;
  let url = '';
  const requests: string[] = [];

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    // GDAL reads over HTTP without credentials, as the public reads public data.
    await createDataset(t.services, 'poi', poiFeatures(), { titleZh: '兴趣点', titleEn: 'POI', classification: 'public' });
    t.app.addHook('onRequest', async (req) => {
      requests.push(decodeURIComponent(req.url.replace(/\+/g, ' ')));
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    url = `OAPIF:http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => t?.close());

  it('lists the collections (ogrinfo -ro -so)', async () => {
    const { stdout } = await ogrinfo(['-ro', '-so', url]);
    expect(stdout).toMatch(/1: poi/);
  });

  it('sends -where to the server as a CQL filter, and prints the matching features', async () => {
    requests.length = 0;
    const { stdout, stderr } = await ogrinfo(['-ro', url, 'poi', '-where', "name = 'Deqing Station'"]);
    expect(stdout).toContain('Feature Count: 1');
    expect(stdout).toMatch(/name \(String\) = Deqing Station/);
    expect(stdout).toContain('POINT (120.02 30.52)');
    expect(stdout).not.toContain('德清县人民政府');
    // The filter reached the server: GDAL did not fetch everything and filter locally.
    const filtered = requests.filter((r) => r.includes('/collections/poi/items') && r.includes("filter=name = 'Deqing Station'"));
    expect(filtered.length, `requests: ${requests.join('\n')}\n${stderr.split('\n').filter((l) => l.includes('OAPIF')).join('\n')}`).toBeGreaterThan(0);
    expect(stderr).not.toContain('Full filter will be evaluated on client side');
  });

  it('sends -spat to the server as bbox', async () => {
    requests.length = 0;
    const { stdout } = await ogrinfo(['-ro', url, 'poi', '-spat', '119.95', '30.41', '120.01', '30.51']);
    const names = [...stdout.matchAll(/name \(String\) = (.+)/g)].map((m) => m[1].trim());
    expect(names).toEqual(['新市镇中学', '莫干山景区', '下渚湖湿地']);
    expect(requests.some((r) => r.includes('/collections/poi/items') && /bbox=119\.95\d*,30\.4\d*,120\.0\d*,30\.5\d*/.test(r)), requests.join('\n')).toBe(true);
  });
});
