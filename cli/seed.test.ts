import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, newDataDir, runYitu } from './test-support.ts';

describe('yitu seed demo', () => {
  let dir: string;
  beforeAll(async () => {
    // Empty on purpose: the first command creates the embedded database, as on a user's first start.
    dir = await newDataDir();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let before: Array<{ id: string; featureCount: number; currentVersion: number }> = [];

  it('loads the demo county into an empty data directory', { timeout: 240_000 }, async () => {
    const r = await runYitu(['seed', 'demo', '--scale', '1'], { dataDir: dir, timeoutMs: 230_000 });
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^Demo county loaded \(scale 1\) in \d+ s\.\n/);
    // the demo accounts' one password, shown this once, and the first administrator's (on stderr)
    expect(r.stdout).toMatch(/Password of every demo account: \S{12,}/);
    expect(r.stdout).toMatch(/wang\.fang/);
    expect(r.stderr).toMatch(/admin/);
    expect(r.stderr).toMatch(/seeding the demo county 100%/);
    console.log(`[cli/seed] yitu seed demo --scale 1 on an empty directory: ${(r.ms / 1000).toFixed(1)} s`);

    const d = await runYitu(['datasets', '--json'], { dataDir: dir });
    expect(d.code, describeRun(d)).toBe(0);
    before = JSON.parse(d.stdout);
    expect(before.length).toBeGreaterThanOrEqual(15);
    expect(before.map((x) => x.id)).toContain('public_facilities');
    expect(before.every((x) => x.currentVersion >= 1)).toBe(true);
  });

  it('refuses to seed again without --replace (exit 3) and changes nothing', async () => {
    expect(before.length, 'the first seed ran').toBeGreaterThan(0);
    const r = await runYitu(['seed', 'demo'], { dataDir: dir });
    expect(r.code, describeRun(r)).toBe(3);
    expect(r.stderr).toMatch(/The database is not empty \(\d+ regions, \d+ datasets\).*--replace.*\[YITU_ERR_CONFLICT\]/);
    expect(r.stdout).not.toMatch(/Demo county loaded/);

    const d = await runYitu(['datasets', '--json'], { dataDir: dir });
    expect(d.code, describeRun(d)).toBe(0);
    const after = JSON.parse(d.stdout) as typeof before;
    const summary = (l: typeof before) => l.map((x) => `${x.id}:${x.featureCount}:v${x.currentVersion}`).sort();
    expect(summary(after)).toEqual(summary(before));
  });
});
