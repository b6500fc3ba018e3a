import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { length as turfLength, lineString } from '@turf/turf';
import type { Browser, Page } from 'playwright-core';
import { zipBuffer } from '../../server/hub/formats/test/reader-helpers.ts';
import { changedPixels, findChromium, launchChromium, renderedCount, signIn, startYitu, waitForMapIdle, type RunningYitu, type YituHook } from './harness.ts';

const chromiumPath = findChromium();
const skipReason = chromiumPath ? '' : 'no Chromium found (/usr/bin/chromium; set YITU_CHROMIUM or apt-get install chromium)';
if (skipReason) {
  if (process.env.CI) throw new Error(`CI is set but the browser tests cannot run: ${skipReason}`);
  console.log(`[yitu] Skipping the browser tests: ${skipReason}`);
}

/** A small upload: three points in Deqing. */
const UPLOAD = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    [119.97, 30.54, '武康测试点'],
    [120.08, 30.53, '乾元测试点'],
    [120.0, 30.6, '阜溪测试点'],
  ].map(([x, y, name], i) => ({ type: 'Feature', properties: { name, rank: i + 1 }, geometry: { type: 'Point', coordinates: [x, y] } })),
});

const mapShot = (page: Page) => page.locator('[data-testid=map] canvas').screenshot();

(skipReason ? describe.skip : describe)('the web app in Chromium', () => {
  let yitu: RunningYitu;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [yitu, browser] = await Promise.all([startYitu({ template: inject('pgliteTemplate'), scale: 0.25 }), launchChromium(chromiumPath!)]);
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => errors.push(e.message));
    // The whole demo county: internal and confidential layers are for signed-in staff (web/e2e/access.test.ts tests who sees what).
    await signIn(page, yitu, yitu.users.admin);
  });
  afterAll(async () => {
    await browser?.close();
    await yitu?.close();
  });

  it('opens at / in Chinese with every layer of the demo county in the tree, and the map renders', async () => {
    const res = await page.goto(`${yitu.url}/`);
    expect(res?.headers()['content-type']).toContain('text/html');
    await waitForMapIdle(page);
    await expect(page.title()).resolves.toContain('一图');
    const layers = await page.locator('[data-testid^=layer-]').count();
    expect(layers).toBeGreaterThanOrEqual(18);
    await expect(page.locator('[data-testid=nav-catalog]').textContent()).resolves.toBe('数据目录');
    // The basemap and the default layers drew something: the canvas is not one colour.
    const variety = await page.evaluate(() => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      const c = m.getCanvas();
      const g = document.createElement('canvas');
      g.width = c.width;
      g.height = c.height;
      const ctx = g.getContext('2d')!;
      ctx.drawImage(c, 0, 0);
      const d = ctx.getImageData(0, 0, g.width, g.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return colours.size;
    });
    expect(variety).toBeGreaterThan(20);
    // Layers come from the server's vector tiles, not GeoJSON.
    const sources = await page.evaluate(() => Object.values((window as unknown as { __yitu: YituHook }).__yitu.map.getStyle().sources).map((s) => s.type));
    expect(sources).toContain('vector');
    expect(errors).toEqual([]);
  });

  it('switches a layer on and draws its features', async () => {
    expect(await renderedCount(page, 'land_use_parcels')).toBe(0);
    const before = await mapShot(page);
    await page.locator('[data-testid=layer-land_use_parcels] input[type=checkbox]').check();
    await waitForMapIdle(page);
    expect(await renderedCount(page, 'land_use_parcels')).toBeGreaterThan(50);
    const after = await mapShot(page);
    expect(await changedPixels(page, before, after)).toBeGreaterThan(0.05);
    expect(page.url()).toContain('land_use_parcels');
  });

  it('identifies a feature under a click with its attributes', async () => {
    await page.locator('[data-testid=layer-land_use_parcels] input[type=checkbox]').uncheck();
    await waitForMapIdle(page);
    const at = await page.evaluate(() => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      const layers = m.getStyle().layers.filter((l) => l.id.startsWith('ds:public_facilities:') && l.type === 'circle').map((l) => l.id);
      // A single facility (not a cluster of the low zooms), away from the map's edges and panels.
      const f = m.queryRenderedFeatures({ layers }).find((x) => {
        if (x.geometry.type !== 'Point' || x.properties.point_count || x.id === undefined) return false;
        const p = m.project((x.geometry as GeoJSON.Point).coordinates as [number, number]);
        return p.x > 100 && p.y > 100 && p.x < m.getCanvas().clientWidth - 380 && p.y < m.getCanvas().clientHeight - 60;
      });
      if (!f) return null;
      const p = m.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
      return { x: p.x, y: p.y, id: f.id as number };
    });
    expect(at, 'a public facility is drawn').not.toBeNull();
    const name = ((await (await fetch(`${yitu.url}/collections/public_facilities/items/${at!.id}`)).json()) as { properties: { name: string } }).properties.name;
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    await page.mouse.click(box.x + at!.x, box.y + at!.y);
    const panel = page.locator('[data-testid=identify-panel]');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain('公共服务设施');
    await panel.locator('.hit-title', { hasText: '公共服务设施' }).first().click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=identify-panel]')?.textContent?.includes(n), name);
    // The attributes come with the columns' display titles in the UI's language, in the dataset's order.
    await expect(panel.locator('table.attrs th').first().textContent()).resolves.toBe('设施编号');
  });

  it('filters the attribute table with the condition builder (CQL2), and a row zooms to its feature', async () => {
    await page.locator('[data-testid=layer-public_facilities] .layer-title').click();
    await page.locator('[data-testid=layer-public_facilities] .layer-actions button').first().click();
    const table = page.locator('[data-testid=attribute-table]');
    await table.waitFor();
    const count = async () => Number((await page.locator('[data-testid=table-count]').textContent())!.replace(/[^\d]/g, ''));
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=table-count]')?.textContent ?? ''));
    const all = await count();
    expect(all).toBeGreaterThan(50);
    await page.locator('[data-testid=add-condition]').click();
    const cond = table.locator('.cond').first();
    await cond.locator('select[aria-label=field]').selectOption('category_zh');
    await cond.locator('select[aria-label=operator]').selectOption('=');
    await cond.locator('input[aria-label=value]').fill('医疗卫生');
    await expect(page.locator('[data-testid=cql2-text]').textContent()).resolves.toBe("category_zh = '医疗卫生'");
    await page.locator('[data-testid=apply-filter]').click();
    await page.waitForFunction((n) => {
      const t = document.querySelector('[data-testid=table-count]')?.textContent ?? '';
      return /\d/.test(t) && Number(t.replace(/[^\d]/g, '')) < n;
    }, all);
    const filtered = await count();
    expect(filtered).toBeGreaterThan(0);
    const col = await table.locator('thead th').allTextContents();
    // Headers show the columns' display titles (category_zh: 类别（中文）).
    const k = col.findIndex((c) => c.startsWith('类别（中文）'));
    expect(k).toBeGreaterThan(0);
    const values = await table.locator(`tbody tr td:nth-child(${k + 1})`).allTextContents();
    expect(new Set(values)).toEqual(new Set(['医疗卫生']));
    const z0 = await page.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getZoom());
    await table.locator('tbody tr').first().click();
    await page.waitForFunction((z) => (window as unknown as { __yitu: YituHook }).__yitu.map.getZoom() > z + 1, z0);
    // The filter on the map too: fewer facilities drawn.
    await page.locator('[data-testid=layer-public_facilities] .layer-title').click();
    const z = await page.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getZoom());
    await page.evaluate((zz) => (window as unknown as { __yitu: YituHook }).__yitu.map.jumpTo({ center: [120.0, 30.56], zoom: Math.min(zz, 11) }), z);
    await waitForMapIdle(page);
    const drawnAll = await renderedCount(page, 'public_facilities');
    await page.locator('[data-testid=filter-on-map]').check();
    await page.waitForTimeout(300);
    await waitForMapIdle(page);
    const drawnFiltered = await renderedCount(page, 'public_facilities');
    expect(drawnFiltered).toBeGreaterThan(0);
    expect(drawnFiltered).toBeLessThan(drawnAll);
    await page.locator('[data-testid=filter-on-map]').uncheck();
    await page.locator('[data-testid=attribute-table] .panel-head button').click();
  });

  it('measures a distance on the sphere, and exports the view as a PNG', async () => {
    await page.locator('[data-testid=tool-measure-line]').click();
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    // Clear of the toolbar and of the identify panel on the right.
    const a = { x: 250, y: 330 };
    const b = { x: 560, y: 600 };
    await page.mouse.click(box.x + a.x, box.y + a.y);
    await page.mouse.dblclick(box.x + b.x, box.y + b.y);
    const ends = await page.evaluate(([p, q]) => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      return [m.unproject([p.x, p.y]).toArray(), m.unproject([q.x, q.y]).toArray()];
    }, [a, b] as const);
    const metres = turfLength(lineString(ends), { units: 'meters' });
    const shown = (await page.locator('[data-testid=measure-readout] strong').textContent())!;
    const value = Number(shown.replace(/[^\d.]/g, '')) * (shown.includes('km') ? 1000 : 1);
    expect(Math.abs(value - metres) / metres).toBeLessThan(0.01);
    await page.locator('[data-testid=tool-none]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-png]').click()]);
    expect(download.suggestedFilename()).toMatch(/^yitu-.*\.png$/);
    const png = await readFile((await download.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('saves the workspace as a map, and a link to it reopens its layers and view', async () => {
    await page.locator('[data-testid=layer-geohazard_points] input[type=checkbox]').check();
    const visible = await page.evaluate(() => ((window as unknown as { __yitu: YituHook }).__yitu.store.get().layers as Array<{ id: string; visible: boolean }>).filter((l) => l.visible).map((l) => l.id));
    await page.locator('[data-testid=saved-maps] .panel-head').click();
    await page.locator('[data-testid=map-new-title]').fill('地灾专题');
    await page.locator('[data-testid=map-new-save]').click();
    await page.waitForFunction(() => /[#&]m=/.test(window.location.hash));
    const id = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('m')!;
    // The saved map's layers are the visible datasets, top first in the panel (first = bottom in the map).
    const mapLayersTopFirst = (p: Page) => p.evaluate(() => ((window as unknown as { __yitu: YituHook }).__yitu.store.get().mapLayers as Array<{ dataset: string }>).map((l) => l.dataset).reverse());
    await expect(mapLayersTopFirst(page)).resolves.toEqual(visible);
    const other = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      await signIn(other, yitu, yitu.users.admin);
      await other.goto(`${yitu.url}/#m=${id}`);
      await waitForMapIdle(other);
      await other.waitForFunction((n) => ((window as unknown as { __yitu: YituHook }).__yitu.store.get().mapLayers as unknown[]).length === n, visible.length);
      await expect(mapLayersTopFirst(other)).resolves.toEqual(visible);
      expect(await renderedCount(other, 'geohazard_points')).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    // Closed again: its layers leave the map.
    await page.locator('[data-testid=map-close]').click();
    await page.waitForFunction(() => !(window as unknown as { __yitu: YituHook }).__yitu.map.getStyle().layers.some((l) => l.id.startsWith('ml:')));
  });

  it('uploads a file through the wizard and shows the new layer on the map', async () => {
    await page.locator('[data-testid=nav-upload]').click();
    // A zipped Shapefile (GBK DBF, .prj in EPSG:4549) is previewed by the server: its columns and CRS.
    const shp = (ext: string) => readFile(new URL(`../../server/hub/formats/test/binary/gbk-parcels.${ext}`, import.meta.url));
    const zip = await zipBuffer({ '地块.shp': await shp('shp'), '地块.shx': await shp('shx'), '地块.dbf': await shp('dbf'), '地块.prj': await shp('prj') });
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'parcels.zip', mimeType: 'application/zip', buffer: zip });
    await page.locator('[data-testid=upload-fields]').waitFor();
    await expect(page.locator('[data-testid=upload-fields]').textContent()).resolves.toContain('名称');
    await expect(page.locator('[data-testid=upload-crs]').textContent()).resolves.toContain('EPSG:4549');
    await expect(page.locator('[data-testid=upload-encoding]').textContent()).resolves.toBe('gbk');
    await page.locator('[data-testid=upload-back]').click();
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'e2e_points.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(UPLOAD) });
    await expect(page.locator('[data-testid=upload-fields]').textContent()).resolves.toContain('rank');
    await expect(page.locator('[data-testid=upload-id]').inputValue()).resolves.toBe('e2e_points');
    await page.locator('[data-testid=upload-title]').fill('端到端测试点');
    await page.locator('[data-testid=upload-start]').click();
    await page.locator('[data-testid=upload-show]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid=upload-status]').textContent()).resolves.toContain('导入完成');
    await page.locator('[data-testid=upload-show]').click();
    await page.locator('[data-testid=layer-e2e_points] input[type=checkbox]:checked').waitFor();
    await page.waitForTimeout(800); // the fit to the layer's extent
    await waitForMapIdle(page);
    expect(await renderedCount(page, 'e2e_points')).toBeGreaterThan(0);
    await expect(page.locator('[data-testid=layer-e2e_points]').textContent()).resolves.toContain('端到端测试点');
  });

  it('compares two versions of a dataset with the swipe, and steps through temporal data', async () => {
    // A second version of the uploaded layer: three more points.
    const more = JSON.stringify({ type: 'FeatureCollection', features: [[119.95, 30.5], [120.05, 30.58], [120.1, 30.62]].map(([x, y], i) => ({ type: 'Feature', properties: { name: `追加${i}`, rank: 10 + i }, geometry: { type: 'Point', coordinates: [x, y] } })) });
    const res = await fetch(`${yitu.url}/datasets/e2e_points/imports?mode=append&filename=more.geojson`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...yitu.users.admin.headers }, body: more });
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string };
    await yitu.services.jobs.wait(job.id);
    await page.evaluate(() => {
      const y = (window as unknown as { __yitu: YituHook }).__yitu;
      y.map.jumpTo({ center: [120.03, 30.56], zoom: 10 });
      y.store.set({ swipe: { left: 'e2e_points', right: 'e2e_points' } });
    });
    await page.locator('[data-testid=swipe-version]').selectOption('1');
    await page.waitForFunction(() => {
      const m = (window as unknown as { __yituSwipe?: import('maplibre-gl').Map }).__yituSwipe;
      return m?.loaded() && m.querySourceFeatures('swipe-version').length > 0;
    });
    const v1 = await page.evaluate(() => new Set((window as unknown as { __yituSwipe: import('maplibre-gl').Map }).__yituSwipe.querySourceFeatures('swipe-version').map((f) => f.properties.name)).size);
    expect(v1).toBe(3);
    await page.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.store.set({ swipe: null }));

    // Geohazard points found up to the middle of their time range: fewer drawn than all of them.
    await page.locator('[data-testid=layer-geohazard_points] .layer-title').click();
    await page.locator('[data-testid=layer-geohazard_points] .layer-actions button').last().click();
    await waitForMapIdle(page);
    const all = await renderedCount(page, 'geohazard_points');
    await page.locator('[data-testid=temporal-filter] input[type=range]').fill('20');
    await page.waitForTimeout(300);
    await waitForMapIdle(page);
    const early = await renderedCount(page, 'geohazard_points');
    expect(early).toBeLessThan(all);
    await page.locator('[data-testid=time-slider] .panel-head button').click();
    await page.waitForTimeout(300);
    await waitForMapIdle(page);
    expect(await renderedCount(page, 'geohazard_points')).toBe(all);
  });

  it('switches to English, and remembers it', async () => {
    await page.locator('[data-testid=lang-toggle]').click();
    await expect(page.locator('[data-testid=nav-catalog]').textContent()).resolves.toBe('Catalog');
    await expect(page.locator('[data-testid=layer-tree] h2').first().textContent()).resolves.toBe('Layers');
    await expect(page.locator('[data-testid=layer-roads]').textContent()).resolves.toContain('Road network');
    await page.reload();
    await waitForMapIdle(page);
    await expect(page.locator('[data-testid=nav-map]').textContent()).resolves.toBe('Map');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(errors).toEqual([]);
  });
});
