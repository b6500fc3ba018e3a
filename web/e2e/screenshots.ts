/**
 * Saves screenshots of the main screens under docs/screenshots/ (`npm run screenshots`): the map
 * workspace, the attribute table, a saved map, the catalog, the upload wizard, the English UI, a phone,
 * the sign-in page and a steward's sharing requests. The app is used signed in as an administrator
 * (and a data steward for the sharing requests); with YITU_URL, as YITU_SCREENSHOT_USER /
 * YITU_SCREENSHOT_PASSWORD when given.
 * Starts its own Yitu over a fresh embedded database with the demo county (scale 1), or uses a
 * running one given as YITU_URL.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium, signIn, startYitu, waitForMapIdle, type RunningYitu } from './harness.ts';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const SAMPLE = 'name,lon,lat,kind,count\n武康街道便民服务点,119.965,30.545,service,12\n乾元镇便民服务点,120.082,30.532,service,8\n新市镇便民服务点,120.287,30.626,service,15\n';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function open(page: Page, url: string, hash: string): Promise<void> {
  // A fresh load each time (a new hash alone would only move the running app).
  await page.goto('about:blank');
  await page.goto(`${url}/#${hash}`);
  await waitForMapIdle(page);
}

async function main(): Promise<void> {
  const exe = findChromium();
  if (!exe) throw new Error('no Chromium found (/usr/bin/chromium; set YITU_CHROMIUM)');
  await mkdir(OUT, { recursive: true });
  let yitu: RunningYitu | null = null;
  let browser: Browser | null = null;
  try {
    const url = process.env.YITU_URL ?? (yitu = await startYitu({ scale: 1 })).url;
    browser = await launchChromium(exe);
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    // The sign-in page, before signing in.
    await page.goto(`${url}/#view=signin`);
    await page.locator('[data-testid=sign-in-page]').waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'sign-in');
    if (yitu) await signIn(page, yitu, yitu.users.admin);
    else if (process.env.YITU_SCREENSHOT_USER && process.env.YITU_SCREENSHOT_PASSWORD) {
      const r = await page.request.post(`${url}/auth/sign-in`, { data: { username: process.env.YITU_SCREENSHOT_USER, password: process.env.YITU_SCREENSHOT_PASSWORD } });
      if (!r.ok()) throw new Error(`signing in as ${process.env.YITU_SCREENSHOT_USER} failed: ${r.status()}`);
    }
    const view = 'view=map&c=119.99,30.55&z=12.2&bm=offline';
    await open(page, url, `${view}&l=public_facilities,roads,rivers,urban_development_boundary,land_use_parcels:0.7`);
    await shot(page, 'map-workspace');

    await page.locator('[data-testid=layer-public_facilities] .layer-title').click();
    await page.locator('[data-testid=layer-public_facilities] .layer-actions button').first().click();
    await page.locator('[data-testid=attribute-table] tbody tr').first().waitFor();
    await page.locator('[data-testid=add-condition]').click();
    const cond = page.locator('[data-testid=attribute-table] .cond').first();
    await cond.locator('select[aria-label=field]').selectOption('category_zh');
    await cond.locator('select[aria-label=operator]').selectOption('=');
    await cond.locator('input[aria-label=value]').fill('教育');
    await page.locator('[data-testid=apply-filter]').click();
    await page.waitForTimeout(800);
    await page.locator('[data-testid=attribute-table] tbody tr').nth(2).click();
    await page.waitForTimeout(1200);
    await waitForMapIdle(page);
    await shot(page, 'attribute-table');

    // The demo's saved map, each layer in its own style, with the map's panel (title, access, share link).
    await open(page, url, 'view=map&m=deqing-spatial-plan');
    await page.locator('[data-testid=current-map]').waitFor();
    await page.waitForTimeout(800);
    await waitForMapIdle(page);
    await shot(page, 'saved-map');

    await open(page, url, 'view=catalog');
    await page.locator('[data-testid=catalog-item-land_use_parcels]').click();
    await page.locator('[data-testid=preview-map] canvas').waitFor();
    await page.waitForTimeout(2500);
    await shot(page, 'catalog');

    await open(page, url, 'view=upload');
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'service_points.csv', mimeType: 'text/csv', buffer: Buffer.from(SAMPLE) });
    await page.locator('[data-testid=upload-fields]').waitFor();
    await shot(page, 'upload-wizard');

    await page.evaluate(() => localStorage.setItem('yitu.lang', 'en'));
    await open(page, url, `view=map&c=119.962,30.545&z=15.2&p=55&b=-20&bm=offline&l=buildings,roads,rivers,lakes_reservoirs,land_use_parcels:0.5`);
    await page.locator('[data-testid=mode-3d]').click();
    await page.waitForTimeout(1500);
    await waitForMapIdle(page);
    await shot(page, 'english-3d');

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p2 = await phone.newPage();
    await open(p2, url, 'view=map&c=119.97,30.54&z=13&bm=offline&l=public_facilities,roads,rivers,geohazard_points');
    await shot(p2, 'phone');

    // A steward's sharing requests to decide: an analyst of another department asked for a confidential dataset.
    if (yitu) {
      const asked = await fetch(`${url}/datasets/geohazard_points/share-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...yitu.users.analyst.headers },
        body: JSON.stringify({ purpose: '汛期地质灾害隐患点与高标准农田叠加分析，用于防汛部署和农田设施巡查。', days: 90 }),
      });
      if (!asked.ok) throw new Error(`the sharing request failed: ${asked.status} ${await asked.text()}`);
      const sc = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', deviceScaleFactor: 1 });
      const p3 = await sc.newPage();
      await signIn(p3, yitu, yitu.users.steward);
      await p3.goto(`${url}/#view=sharing`);
      await p3.locator('[data-testid=sharing-tab-incoming]').click();
      await p3.locator('[data-testid=incoming-geohazard_points]').first().waitFor();
      await p3.waitForTimeout(300);
      await shot(p3, 'sharing-requests');
    }
  } finally {
    await browser?.close();
    await yitu?.close();
  }
}

await main();
