import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeRun, newDataDir, runYitu } from './test-support.ts';

describe('yitu users and yitu tokens', () => {
  let dir: string;
  const yitu = (...args: string[]) => runYitu(args, { dataDir: dir });

  beforeAll(async () => {
    dir = await newDataDir(inject('pgliteTemplate'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the first administrator on the first start, shown once on stderr, and lists users', async () => {
    const first = await yitu('users', 'list');
    expect(first.code, describeRun(first)).toBe(0);
    expect(first.stderr).toMatch(/Yitu administrator: admin \/ \S+ — shown once; change it after signing in/);
    expect(first.stdout).toMatch(/^username\s+name\s+department\s+roles\s+status/);
    expect(first.stdout).toMatch(/admin\s+Administrator\s+administrator\s+active/);
    expect(first.stdout).toContain('1 users');
    const again = await yitu('users', 'list', '--json');
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stderr).not.toContain('Yitu administrator');
    expect(JSON.parse(again.stdout)).toMatchObject([{ username: 'admin', roles: ['administrator'], mustChangePassword: true }]);
  });

  it('adds a user with a one-time password, resets it, disables and enables them, and makes a token', async () => {
    const add = await yitu('users', 'add', 'li.wei', '--role', 'analyst', 'data_steward', '--display-name', '李伟');
    expect(add.code, describeRun(add)).toBe(0);
    expect(add.stdout).toMatch(/Created user li\.wei \(analyst, data_steward\)/);
    const pw = /One-time password \(shown once; to change at the first sign-in\): (\S+)/.exec(add.stdout)?.[1];
    expect(pw?.length).toBeGreaterThanOrEqual(16);
    const dup = await yitu('users', 'add', 'li.wei', '--role', 'analyst');
    expect(dup.code).toBe(3);
    expect(dup.stderr).toContain('YITU_ERR_USER_EXISTS');

    const passwd = await yitu('users', 'passwd', 'li.wei');
    expect(passwd.code, describeRun(passwd)).toBe(0);
    const pw2 = /One-time password .*: (\S+)/.exec(passwd.stdout)?.[1];
    expect(pw2).toBeDefined();
    expect(pw2).not.toBe(pw);

    const token = await yitu('tokens', 'create', '--user', 'li.wei', '--name', 'nightly import', '--days', '30');
    expect(token.code, describeRun(token)).toBe(0);
    expect(token.stdout).toMatch(/^yitu_[0-9a-f]{32}_[A-Za-z0-9_-]+\n$/);
    expect(token.stderr).toContain('shown once');

    expect((await yitu('users', 'disable', 'li.wei')).stdout).toContain('User li.wei is disabled.');
    const list = JSON.parse((await yitu('users', 'list', '--json', '--role', 'analyst')).stdout) as Array<{ username: string; disabled: boolean; displayName: string }>;
    expect(list).toEqual([expect.objectContaining({ username: 'li.wei', disabled: true, displayName: '李伟' })]);
    expect((await yitu('users', 'enable', 'li.wei')).code).toBe(0);
    expect(JSON.parse((await yitu('users', 'list', '--json', '--q', 'li.')).stdout)[0].disabled).toBe(false);
  });

  it('keeps the last administrator and refuses wrong command lines', async () => {
    const last = await yitu('users', 'disable', 'admin');
    expect(last.code, describeRun(last)).toBe(3);
    expect(last.stderr).toMatch(/last active administrator.*YITU_ERR_CONFLICT/);
    const missing = await yitu('users', 'passwd', 'nobody');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('YITU_ERR_USER_NOT_FOUND');
    const [noRole, badRole, badDays] = await Promise.all([
      yitu('users', 'add', 'x.y'),
      yitu('users', 'add', 'x.y', '--role', 'king'),
      yitu('tokens', 'create', '--user', 'admin', '--name', 'n', '--days', 'soon'),
    ]);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toMatch(/--role/);
    expect(badRole.code).toBe(2);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toMatch(/--days must be a whole number 1–3650/);
  });
});
