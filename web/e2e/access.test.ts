import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findChromium, launchChromium, renderedCount, startYitu, waitForMapIdle, type E2eUser, type RunningYitu, type YituHook } from './harness.ts';

const chromiumPath = findChromium();
const skipReason = chromiumPath ? '' : 'no Chromium found (/usr/bin/chromium; set YITU_CHROMIUM or apt-get install chromium)';
if (skipReason) {
  if (process.env.CI) throw new Error(`CI is set but the browser tests cannot run: ${skipReason}`);
  console.log(`[yitu] Skipping the access browser tests: ${skipReason}`);
}

/** Confidential, owned by the Bureau of Natural Resources and Planning (the steward's), shareable. */
const CONFIDENTIAL = 'geohazard_points';

/** Ids of the catalog entries the page lists. */
const listedIds = (page: Page) =>
  page.locator('[data-testid^=catalog-item-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('catalog-item-'.length)).sort());

/** Signs in through the sign-in page. */
async function signInUi(page: Page, user: Pick<E2eUser, 'username' | 'password'>): Promise<void> {
  await page.locator('[data-testid=sign-in-username]').fill(user.username);
  await page.locator('[data-testid=sign-in-password]').fill(user.password);
  await page.locator('[data-testid=sign-in-submit]').click();
}

(skipReason ? describe.skip : describe)('access control in the browser', () => {
  let yitu: RunningYitu;
  let browser: Browser;
  let analystCtx: BrowserContext;
  let stewardCtx: BrowserContext;
  let analyst: Page;
  let steward: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [yitu, browser] = await Promise.all([startYitu({ template: inject('pgliteTemplate'), scale: 0.25 }), launchChromium(chromiumPath!)]);
    const open = async () => {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => void d.accept());
      return [ctx, page] as const;
    };
    [[analystCtx, analyst], [stewardCtx, steward]] = await Promise.all([open(), open()]);
  });
  afterAll(async () => {
    await analystCtx?.close();
    await stewardCtx?.close();
    await browser?.close();
    await yitu?.close();
  });

  it('shows the anonymous public only public datasets, in the catalog and the layer tree, and a sign-in button', async () => {
    const pub = (await yitu.services.db.query<{ id: string }>(`SELECT id FROM yitu.datasets WHERE classification = 'public' ORDER BY id`)).rows.map((r) => r.id);
    expect(pub.length).toBeGreaterThan(3);
    await analyst.goto(`${yitu.url}/#view=catalog`);
    await analyst.locator('[data-testid=sign-in-button]').waitFor();
    await analyst.waitForFunction((n) => document.querySelectorAll('[data-testid^=catalog-item-]').length === n, pub.length);
    expect(await listedIds(analyst)).toEqual(pub.sort());
    const tree = await analyst.evaluate(() => ((window as unknown as { __yitu?: YituHook }).__yitu?.store.get().datasets as Array<{ id: string }> | undefined)?.map((d) => d.id) ?? null);
    if (tree) expect(tree.every((id) => pub.includes(id))).toBe(true);
    // No screens for staff.
    expect(await analyst.locator('[data-testid=nav-sharing]').count()).toBe(0);
    expect(await analyst.locator('[data-testid=nav-upload]').count()).toBe(0);
  });

  it('refuses a wrong password with one message that does not say which part was wrong', async () => {
    await analyst.locator('[data-testid=sign-in-button]').click();
    await analyst.locator('[data-testid=sign-in-page]').waitFor();
    await signInUi(analyst, { username: yitu.users.analyst.username, password: 'not-the-password-1' });
    const error = analyst.locator('[data-testid=sign-in-error]');
    await error.waitFor();
    const wrongPassword = await error.textContent();
    expect(wrongPassword).toBe('用户名或密码不正确。');
    await signInUi(analyst, { username: 'nobody-at-all', password: 'not-the-password-1' });
    await analyst.waitForFunction(() => document.querySelector('[data-testid=sign-in-password]') instanceof HTMLInputElement && (document.querySelector('[data-testid=sign-in-password]') as HTMLInputElement).value === '');
    await expect(error.textContent()).resolves.toBe(wrongPassword);
    expect(await analyst.locator('[data-testid=user-menu]').count()).toBe(0);
  });

  it('signs an analyst in: internal data appears, another department\'s confidential data does not', async () => {
    await signInUi(analyst, yitu.users.analyst);
    await analyst.locator('[data-testid=user-menu]').waitFor();
    // Back where the person came from: the catalog, now with internal datasets.
    await analyst.locator('[data-testid=catalog]').waitFor();
    await analyst.locator('[data-testid=catalog-item-land_use_parcels]').waitFor();
    expect(await listedIds(analyst)).not.toContain(CONFIDENTIAL);
    await analyst.locator('[data-testid=user-menu]').click();
    await expect(analyst.locator('[data-testid=user-roles]').textContent()).resolves.toContain('分析人员');
    await analyst.locator('[data-testid=user-menu]').click();
  });

  it('takes a sharing request from ask to use: the analyst asks, the steward is notified and approves, the analyst sees the data', async () => {
    // The analyst asks for the confidential dataset in the sharing catalog.
    await analyst.locator('[data-testid=nav-sharing]').click();
    const entry = analyst.locator(`[data-testid=sharing-entry-${CONFIDENTIAL}]`);
    await entry.waitFor();
    await entry.locator(`[data-testid=ask-${CONFIDENTIAL}]`).click();
    await analyst.locator('[data-testid=request-purpose]').fill('汛期地质灾害隐患点与农田设施叠加分析，用于防汛部署。');
    await analyst.locator('[data-testid=request-days]').fill('30');
    await analyst.locator('[data-testid=request-send]').click();
    await analyst.locator('[data-testid=request-form]').waitFor({ state: 'detached' });
    await analyst.locator('[data-testid=sharing-tab-outgoing]').click();
    const mine = analyst.locator(`[data-testid=outgoing-${CONFIDENTIAL}]`);
    await expect(mine.locator('[data-testid=request-status]').getAttribute('data-status')).resolves.toBe('pending');

    // The steward of the owning department signs in and sees the notification.
    await steward.goto(`${yitu.url}/#view=signin`);
    await signInUi(steward, yitu.users.steward);
    await steward.locator('[data-testid=user-menu]').waitFor();
    await steward.locator('[data-testid=notifications-unread]').waitFor();
    await steward.locator('[data-testid=notifications-bell]').click();
    await steward.locator('[data-testid=notification]').first().click();
    const card = steward.locator(`[data-testid=incoming-${CONFIDENTIAL}]`, { hasText: yitu.users.analyst.displayName });
    await card.waitFor();
    await card.locator('[data-testid=approve]').click();
    await card.locator('[data-testid=approve-days]').fill('14');
    await card.locator('[data-testid=decision-reason-input]').fill('同意，限防汛期间使用。');
    await card.locator('[data-testid=decision-confirm]').click();
    await steward.locator('.toast', { hasText: '已批准' }).waitFor();

    // The analyst's request is approved, with a grant that ends in 14 days; the dataset is in the catalog and on the map.
    await analyst.reload();
    await analyst.locator('[data-testid=sharing-tab-outgoing]').click();
    await expect(mine.locator('[data-testid=request-status]').getAttribute('data-status')).resolves.toBe('approved');
    await expect(mine.locator('[data-testid=grant-expiry]').textContent()).resolves.toContain('剩 14 天');
    await expect(mine.locator('[data-testid=decision-reason]').textContent()).resolves.toBe('同意，限防汛期间使用。');
    await analyst.locator('[data-testid=nav-catalog]').click();
    await analyst.locator(`[data-testid=catalog-item-${CONFIDENTIAL}]`).click();
    await analyst.locator('[data-testid=add-to-map]').click();
    await analyst.locator(`[data-testid=layer-${CONFIDENTIAL}] input[type=checkbox]:checked`).waitFor();
    await waitForMapIdle(analyst);
    expect(await renderedCount(analyst, CONFIDENTIAL)).toBeGreaterThan(0);
  });

  it('shows the steward the dataset\'s grants and usage on its access page', async () => {
    await steward.locator('[data-testid=nav-catalog]').click();
    await steward.locator(`[data-testid=catalog-item-${CONFIDENTIAL}]`).click();
    await steward.locator('[data-testid=open-access]').click();
    const grant = steward.locator('[data-testid=grant-agriculture-rural]');
    await grant.waitFor();
    await expect(grant.getAttribute('data-status')).resolves.toBe('active');
    await expect(steward.locator('[data-testid=class-confidential]').isChecked()).resolves.toBe(true);
    await steward.locator('[data-testid=usage-total]').waitFor();
  });

  it('lists the request, the approval and the grant in the audit viewer', async () => {
    await yitu.services.audit.flush();
    await steward.locator('[data-testid=nav-audit]').click();
    await steward.locator('[data-testid=audit-dataset]').fill(CONFIDENTIAL);
    await steward.locator('[data-testid=audit-apply]').click();
    await steward.waitForFunction(() => {
      const actions = [...document.querySelectorAll('[data-testid=audit-row]')].map((r) => r.getAttribute('data-action'));
      return ['share.request', 'share.approve', 'grant.create'].every((a) => actions.includes(a));
    });
    const href = await steward.locator('[data-testid=audit-csv]').getAttribute('href');
    expect(href).toContain(`dataset=${CONFIDENTIAL}`);
    const csv = await steward.request.get(`${yitu.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('share.approve');
  });

  it('sends a person whose session ended back to the sign-in page with a message', async () => {
    const ended = await fetch(`${yitu.url}/users/${yitu.users.analyst.id}/sessions`, { method: 'DELETE', headers: yitu.users.admin.headers });
    expect(ended.status).toBe(204);
    // The bell asks for notifications when the window gets focus: the server no longer knows the session.
    await analyst.evaluate(() => window.dispatchEvent(new Event('focus')));
    await analyst.locator('[data-testid=sign-in-notice]').waitFor();
    await expect(analyst.locator('[data-testid=sign-in-notice]').textContent()).resolves.toContain('重新登录');
    expect(await analyst.locator('[data-testid=user-menu]').count()).toBe(0);
  });

  it('lets an administrator create a user whose one-time password must be changed at the first sign-in', async () => {
    const admin = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    try {
      const page = await admin.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${yitu.url}/#view=signin`);
      await signInUi(page, yitu.users.admin);
      await page.locator('[data-testid=nav-admin]').click();
      await page.locator('[data-testid=user-row-e2e-steward]').waitFor();
      await page.locator('[data-testid=user-new]').click();
      await page.locator('[data-testid=user-username]').fill('e2e-newcomer');
      await page.locator('[data-testid=user-department]').selectOption('agriculture-rural');
      await page.locator('[data-testid=user-save]').click();
      const once = await page.locator('[data-testid=one-time-password]').inputValue();
      expect(once.length).toBeGreaterThanOrEqual(10);

      // The newcomer signs in with it and must choose a password before anything else.
      await steward.locator('[data-testid=user-menu]').click();
      await steward.locator('[data-testid=sign-out]').click();
      await steward.locator('[data-testid=sign-in-button]').click();
      await signInUi(steward, { username: 'e2e-newcomer', password: once });
      const dialog = steward.locator('[data-testid=password-dialog]');
      await dialog.waitFor();
      await dialog.locator('[data-testid=password-current]').fill(once);
      await dialog.locator('[data-testid=password-new]').fill('Moganshan-bamboo-42');
      await dialog.locator('[data-testid=password-again]').fill('Moganshan-bamboo-42');
      await dialog.locator('[data-testid=password-save]').click();
      await dialog.waitFor({ state: 'detached' });
      const user = await yitu.services.db.query<{ must_change_password: boolean }>(`SELECT must_change_password FROM yitu.users WHERE username = 'e2e-newcomer'`);
      expect(user.rows[0].must_change_password).toBe(false);
    } finally {
      await admin.close();
    }
    expect(errors).toEqual([]);
  });
});
