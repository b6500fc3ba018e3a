import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { describeEachBackend, openTestDb, type TestDb } from '../test-support/databases.ts';
import { loadConfig } from '../platform/config.ts';
import { createServices, type Services } from '../services.ts';
import { createDataset, poiFeatures } from '../ogc/test-app.ts';
import { ROLES, usernameSchema } from '../access/model.ts';
import { verifyPassword } from '../access/passwords.ts';
import { buildDemoCounty } from './build-demo-county.ts';
import { CASE_CATEGORIES, LOCAL_CASE_CATEGORIES } from './case-categories.ts';
import { BUREAU_DEPARTMENTS, DEPARTMENTS, TOWN_DEPARTMENTS } from './departments.ts';
import { DEMO_PEOPLE, EXAMPLE_ACCOUNTS, firstGridOf, seedPeople, type PeopleReport } from './people.ts';
import { demoAccountsBox, displayWidth } from './accounts-box.ts';
import { loadDeqingRealData } from './real-data.ts';
import { regionNameEn } from './pinyin.ts';
import { loadDepartments } from './seed.ts';
import { DEMO_SHARE_REQUESTS, seedSharingHistory } from './sharing-history.ts';

const county = buildDemoCounty();
const regionsByCode = new Map(county.regions.map((r) => [r.code, r]));
const byId = new Map(DEPARTMENTS.map((d) => [d.id, d]));

describe('demo departments and case categories', () => {
  it('gives every department a kind, unique ids, and the county bureaus the whole county', () => {
    expect(new Set(DEPARTMENTS.map((d) => d.id)).size).toBe(DEPARTMENTS.length);
    expect(DEPARTMENTS.filter((d) => d.kind === 'county').map((d) => d.id)).toEqual(['county-government']);
    expect(BUREAU_DEPARTMENTS.length).toBe(19);
    for (const d of BUREAU_DEPARTMENTS) expect([d.kind, d.regionCodes]).toEqual(['bureau', []]);
    expect(county.departments).toEqual(DEPARTMENTS);
  });

  it('has one office per real town and subdistrict, its town as jurisdiction and a name from the real name', () => {
    const towns = loadDeqingRealData().towns;
    expect(TOWN_DEPARTMENTS.map((d) => d.regionCodes)).toEqual(towns.map((t) => [t.code]));
    for (const [i, t] of towns.entries()) {
      const d = TOWN_DEPARTMENTS[i];
      const place = regionNameEn(t.name).split(' ')[0];
      expect(d.kind).toBe('town');
      expect(d.id).toBe(`town-${place.toLowerCase().replace("'", '')}`);
      expect(regionsByCode.get(t.code)?.level).toBe('town');
      expect(d.nameZh).toBe(t.name.endsWith('街道') ? `${t.name}办事处` : `${t.name}人民政府`);
      expect(d.nameEn).toBe(t.name.endsWith('街道') ? `${place} Subdistrict Office` : `${place} Town Government`);
    }
    expect(byId.get('town-wukang')?.nameZh).toBe('武康街道办事处');
    expect(byId.get('town-xinan')?.nameEn).toBe("Xin'an Town Government");
  });

  it('has every case category owned by a bureau and handled by at least one department, and no unknown codes', () => {
    const codes = new Set(CASE_CATEGORIES.map((c) => c.code));
    expect(codes.size).toBe(CASE_CATEGORIES.length);
    for (const code of ['water-quality', 'illegal-building', 'rubbish', 'road-damage', 'street-light', 'noise', 'fly-tipping', 'river-litter', 'farmland-occupation', 'illegal-land-use', 'geological-hazard', 'fire-hazard', 'food-safety', 'illegal-business', 'public-facility']) {
      expect(codes.has(code), code).toBe(true);
    }
    for (const c of CASE_CATEGORIES) {
      expect(byId.get(c.department)?.kind, c.code).toBe('bureau');
      expect(byId.get(c.department)?.caseCategories, c.code).toContain(c.code);
      expect(c.code).toMatch(/^[a-z][a-z-]+$/);
      expect(c.nameZh && c.nameEn).toBeTruthy();
    }
    for (const d of DEPARTMENTS) for (const code of d.caseCategories) expect(codes.has(code), `${d.id}: ${code}`).toBe(true);
    expect(LOCAL_CASE_CATEGORIES).toEqual(expect.arrayContaining(['rubbish', 'illegal-building', 'river-litter', 'road-damage']));
    for (const d of TOWN_DEPARTMENTS) expect(d.caseCategories).toEqual(LOCAL_CASE_CATEGORIES);
  });
});

describe('demo people', () => {
  it('are 40–60 accounts with valid unique user names in known departments, every role but administrator', () => {
    expect(DEMO_PEOPLE.length).toBeGreaterThanOrEqual(40);
    expect(DEMO_PEOPLE.length).toBeLessThanOrEqual(60);
    expect(new Set(DEMO_PEOPLE.map((x) => x.username)).size).toBe(DEMO_PEOPLE.length);
    for (const x of DEMO_PEOPLE) {
      expect(usernameSchema.safeParse(x.username).success, x.username).toBe(true);
      expect(byId.has(x.department), x.username).toBe(true);
      expect(x.displayName).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    }
    const roles = new Set(DEMO_PEOPLE.flatMap((x) => x.roles));
    expect([...roles].sort()).toEqual(ROLES.filter((r) => r !== 'administrator').sort());
    for (const u of EXAMPLE_ACCOUNTS) expect(DEMO_PEOPLE.some((x) => x.username === u), u).toBe(true);
  });

  it('gives the data stewards to the departments that own demo datasets', () => {
    const owners = new Set([...county.layers.map((l) => l.department), ...county.statistics.map((s) => s.department)]);
    const stewarded = new Set(DEMO_PEOPLE.filter((x) => x.roles.includes('data_steward')).map((x) => x.department));
    for (const o of owners) expect(stewarded.has(o), o).toBe(true);
  });

  it("puts each grid worker in an existing grid of their town office's town, and nobody else in a grid", () => {
    const workers = DEMO_PEOPLE.filter((x) => x.roles.includes('grid_worker'));
    expect(workers.length).toBeGreaterThanOrEqual(8);
    for (const w of workers) {
      expect(w.regionCodes).toHaveLength(1);
      const grid = regionsByCode.get(w.regionCodes[0]);
      expect(grid?.level, w.username).toBe('grid');
      const town = regionsByCode.get(grid!.parentCode!)!.parentCode;
      expect(byId.get(w.department)?.regionCodes).toEqual([town]);
    }
    for (const x of DEMO_PEOPLE.filter((y) => !y.roles.includes('grid_worker'))) expect(x.regionCodes).toEqual([]);
    // Grid 001 exists for any seed: grids are numbered from 001 within their village.
    for (const other of [1, 42]) {
      const codes = new Set(buildDemoCounty({ seed: other, scale: 0.1 }).regions.map((r) => r.code));
      for (const w of workers) expect(codes.has(w.regionCodes[0])).toBe(true);
    }
    expect(firstGridOf('330521001001')).toBe('330521001001001');
  });
});

describe('the demo accounts box', () => {
  const report = (password: string | null, created = 57): PeopleReport => ({
    created, existing: 0, passwordFrom: password ? 'generated' : 'YITU_DEMO_PASSWORD', oneTimePassword: () => password, createdIds: [],
  });

  it('shows a generated password once, with example accounts, in aligned lines', () => {
    const box = demoAccountsBox(report('Xq3-generated-secret'));
    expect(box.split('Xq3-generated-secret')).toHaveLength(2);
    expect(box).toContain('wang.fang');
    expect(box).toContain('自然资源和规划局');
    const widths = new Set(box.trimEnd().split('\n').map(displayWidth));
    expect(widths.size).toBe(1);
    // Logging the report never prints the password.
    expect(JSON.stringify(report('Xq3-generated-secret'))).not.toContain('Xq3');
  });

  it('names the environment variable when the password was configured, and says nothing when nobody was created', () => {
    expect(demoAccountsBox(report(null))).toContain('YITU_DEMO_PASSWORD');
    expect(demoAccountsBox(report(null, 0))).toBe('');
  });
});

describeEachBackend('seeding the demo people and the sharing history', (kind) => {
  let t: TestDb;
  let s: Services;
  let first: PeopleReport;
  let password: string;
  const rows = async <T,>(sql: string, params: unknown[] = []) => (await t.db.query<T>(sql, params)).rows;

  beforeAll(async () => {
    t = await openTestDb(kind);
    s = createServices(loadConfig({}, {}).config, t.db, pino({ level: 'silent' }));
    await loadDepartments(s, county.departments);
    await s.regions.loadRegions(county.regions.filter((r) => r.level !== 'grid' || r.code.endsWith('001')));
    first = await seedPeople(s);
    password = first.oneTimePassword()!;
    const meta = (department: string) => ({ department, classification: 'confidential' as const });
    await createDataset(s, 'enterprise_indicators', poiFeatures(), meta('economy-it'));
    await createDataset(s, 'geohazard_points', poiFeatures(), meta('natural-resources-planning'));
    await createDataset(s, 'population_grid', poiFeatures(), meta('statistics'));
  }, 120_000);
  afterAll(async () => {
    await s?.jobs.shutdown();
    await t?.dispose();
  });

  it('creates every demo person through the account service, in their department with their roles and regions', async () => {
    expect(first).toMatchObject({ created: DEMO_PEOPLE.length, existing: 0, passwordFrom: 'generated' });
    expect(password.length).toBeGreaterThanOrEqual(16);
    const users = await rows<{ username: string; display_name: string; department_id: string; roles: string[]; region_codes: string[] }>(
      'SELECT username, display_name, department_id, roles, region_codes FROM yitu.users ORDER BY username',
    );
    expect(users).toEqual(
      DEMO_PEOPLE.map((x) => ({ username: x.username, display_name: x.displayName, department_id: x.department, roles: x.roles, region_codes: x.regionCodes }))
        .sort((a, b) => a.username.localeCompare(b.username)),
    );
  });

  it('stores only scrypt hashes; a seeded steward signs in with the one password, not with another', async () => {
    const hashes = await rows<{ username: string; password_hash: string }>('SELECT username, password_hash FROM yitu.users');
    for (const h of hashes) {
      expect(h.password_hash).toMatch(/^scrypt\$/);
      expect(h.password_hash).not.toContain(password);
    }
    expect(new Set(hashes.map((h) => h.password_hash)).size).toBe(hashes.length);
    const steward = hashes.find((h) => h.username === 'wang.fang')!;
    expect(await verifyPassword(password, steward.password_hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, steward.password_hash)).toBe(false);
    const dump = JSON.stringify(await rows('SELECT * FROM yitu.users'));
    expect(dump).not.toContain(password);
  });

  it("scopes a town official to the town office's jurisdiction and a grid worker to the grid", async () => {
    const id = async (u: string) => (await s.accounts.getByUsername(u)).id;
    expect((await s.guard.principalOf(await id('wu.xiaoyan')))?.scope).toEqual(['330521001']);
    expect((await s.guard.principalOf(await id('lu.meifang')))?.scope).toEqual(['330521001001001']);
    expect((await s.guard.principalOf(await id('wang.fang')))?.scope ?? null).toBeNull();
  });

  it('leaves existing accounts alone on a second run and shows no password; a configured password is used as given', async () => {
    const before = await rows<{ password_hash: string }>('SELECT password_hash FROM yitu.users ORDER BY username');
    const again = await seedPeople(s);
    expect(again).toMatchObject({ created: 0, existing: DEMO_PEOPLE.length });
    expect(again.oneTimePassword()).toBeNull();
    expect(await rows('SELECT password_hash FROM yitu.users ORDER BY username')).toEqual(before);

    await t.db.query(`DELETE FROM yitu.users WHERE username = 'xu.hui'`);
    const configured = createServices(loadConfig({ YITU_DEMO_PASSWORD: 'deqing-demo-2024!' }, {}).config, t.db, pino({ level: 'silent' }));
    const r = await seedPeople(configured);
    expect(r).toMatchObject({ created: 1, existing: DEMO_PEOPLE.length - 1, passwordFrom: 'YITU_DEMO_PASSWORD' });
    expect(r.oneTimePassword()).toBeNull();
    const [h] = await rows<{ password_hash: string }>(`SELECT password_hash FROM yitu.users WHERE username = 'xu.hui'`);
    expect(await verifyPassword('deqing-demo-2024!', h.password_hash)).toBe(true);
    await configured.jobs.shutdown();
  });

  it('plays the sharing history: one approved with an active grant, one pending with its notification, one refused with a reason', async () => {
    expect(await seedSharingHistory(s)).toBe(DEMO_SHARE_REQUESTS.length);
    const reqs = await rows<{ dataset_id: string; department_id: string; status: string; decision_reason: string; grant_id: string | null }>(
      'SELECT dataset_id, department_id, status, decision_reason, grant_id FROM yitu.share_requests ORDER BY dataset_id',
    );
    expect(reqs.map((r) => [r.dataset_id, r.department_id, r.status])).toEqual([
      ['enterprise_indicators', 'agriculture-rural', 'approved'],
      ['geohazard_points', 'emergency-management', 'pending'],
      ['population_grid', 'commerce-investment', 'refused'],
    ]);
    expect(reqs[2].decision_reason).toContain('村（社区）');
    const [grant] = await rows<{ department_id: string; days: number }>(
      `SELECT department_id, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM yitu.dataset_grants WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [reqs[0].grant_id],
    );
    expect(grant).toEqual({ department_id: 'agriculture-rural', days: 90 });

    const principal = async (u: string) => (await s.guard.principalOf((await s.accounts.getByUsername(u)).id))!;
    expect(await s.guard.mayRead(await principal('lu.xiaoming'), await s.hub.get('enterprise_indicators'))).toBe(true);
    expect(await s.guard.mayRead(await principal('lin.hao'), await s.hub.get('population_grid'))).toBe(false);
    expect(await s.guard.mayRead(await principal('song.jia'), await s.hub.get('geohazard_points'))).toBe(false);

    const notes = await rows<{ username: string; kind: string }>(
      'SELECT u.username, n.kind FROM yitu.notifications n JOIN yitu.users u ON u.id = n.user_id ORDER BY n.id',
    );
    expect(notes).toEqual(expect.arrayContaining([{ username: 'wang.fang', kind: 'share.request' }, { username: 'lu.xiaoming', kind: 'share.approved' }, { username: 'lin.hao', kind: 'share.refused' }]));
    await s.audit.flush();
    const actions = (await rows<{ action: string }>('SELECT action FROM yitu.audit_events ORDER BY id')).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['share.request', 'share.approve', 'grant.create', 'share.refuse']));
  });
});
