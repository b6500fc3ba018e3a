import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium, signIn, startYitu, waitForMapIdle, type RunningYitu, type YituHook } from './harness.ts';

const chromiumPath = findChromium();
const skipReason = chromiumPath ? '' : 'no Chromium found (/usr/bin/chromium; set YITU_CHROMIUM or apt-get install chromium)';
if (skipReason) {
  if (process.env.CI) throw new Error(`CI is set but the browser tests cannot run: ${skipReason}`);
  console.log(`[yitu] Skipping the saved-map browser tests: ${skipReason}`);
}

const MAP = 'deqing-spatial-plan';
/** The farmland layer of the demo map gets this fill of its own (the dataset's default is a green). */
const MAGENTA = '#ff00ff';

interface MapDoc {
  id: string;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  visibility: 'public' | 'private';
  view: Record<string, unknown>;
  revision: number;
  shareToken?: string;
  layers: Array<Record<string, unknown> & { id: string; dataset: string; visible: boolean }>;
}

const hook = (p: Page) => p.evaluate(() => !!(window as unknown as { __yitu?: YituHook }).__yitu);

/** MapLibre layer ids in drawing order. */
const styleLayerIds = (p: Page) => p.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getStyle().layers.map((l) => l.id));

(skipReason ? describe.skip : describe)('saved maps in Chromium', () => {
  let yitu: RunningYitu;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** Reads the map through the API as the administrator who works on it in the browser, or as the anonymous public. */
  const read = async (token?: string, as: 'admin' | 'anonymous' = 'admin') => {
    const r = await fetch(`${yitu.url}/maps/${MAP}${token ? `?token=${encodeURIComponent(token)}` : ''}`, { headers: as === 'admin' ? yitu.users.admin.headers : {} });
    return { status: r.status, etag: r.headers.get('etag'), doc: r.status === 200 ? ((await r.json()) as MapDoc) : null };
  };
  /** Writes the map through the API, as someone else would. */
  const write = async (doc: MapDoc, etag: string) => {
    const body = { title: doc.title, description: doc.description, visibility: doc.visibility, view: doc.view, layers: doc.layers.map(({ missing: _m, ...l }) => l) };
    return fetch(`${yitu.url}/maps/${MAP}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': etag, ...yitu.users.admin.headers }, body: JSON.stringify(body) });
  };

  beforeAll(async () => {
    [yitu, browser] = await Promise.all([startYitu({ template: inject('pgliteTemplate'), scale: 0.25 }), launchChromium(chromiumPath!)]);
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    // The demo maps show internal layers: the browser works as an administrator.
    await signIn(page, yitu, yitu.users.admin);
  });
  afterAll(async () => {
    await browser?.close();
    await yitu?.close();
  });

  it('opens the demo map by link with each layer in its own saved style, in the saved order, not the default styles', async () => {
    // Give the farmland layer of the map a style of its own (the dataset's stays the default).
    const before = await read();
    expect(before.doc?.title.zh).toBe('德清县国土空间规划一张图');
    const doc = before.doc!;
    doc.layers = doc.layers.map((l) => (l.id === 'farmland' ? { ...l, style: { kind: 'simple', symbol: { fill: MAGENTA, stroke: '#800080', fillOpacity: 0.6 } } } : l));
    const put = await write(doc, before.etag!);
    expect(put.status).toBe(200);

    await page.goto(`${yitu.url}/#m=${MAP}`);
    await page.waitForFunction(() => !!(window as unknown as { __yitu?: YituHook }).__yitu?.map.getLayer('ml:farmland:permanent_basic_farmland-fill'), undefined, { timeout: 60_000 });
    await waitForMapIdle(page);
    const paint = await page.evaluate(() => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      return {
        farmland: m.getPaintProperty('ml:farmland:permanent_basic_farmland-fill', 'fill-color'),
        landUseOpacity: m.getPaintProperty('ml:land_use:land_use_parcels-fill', 'fill-opacity'),
        drawn: m.queryRenderedFeatures({ layers: ['ml:farmland:permanent_basic_farmland-fill'] }).length,
        // The dataset's own (default) style is not what is drawn.
        datasetLayers: m.getStyle().layers.filter((l) => l.id.startsWith('ds:permanent_basic_farmland:') && m.getLayoutProperty(l.id, 'visibility') !== 'none').length,
      };
    });
    expect(paint.farmland).toBe(MAGENTA);
    expect(paint.drawn).toBeGreaterThan(0);
    expect(paint.datasetLayers).toBe(0);
    // The land-use layer is drawn at the map's 85 %.
    expect(paint.landUseOpacity).toBeLessThan(0.85);
    const default_ = (await (await fetch(`${yitu.url}/collections/permanent_basic_farmland/style.json`, { headers: yitu.users.admin.headers })).json()) as { layers: Array<{ id: string; paint?: Record<string, unknown> }> };
    expect(default_.layers.find((l) => l.id.endsWith('-fill'))?.paint?.['fill-color']).not.toBe(MAGENTA);
    // Drawing order as saved: land use at the bottom, the urban development boundary on top.
    const ids = await styleLayerIds(page);
    const at = (p: string) => ids.findIndex((x) => x.startsWith(p));
    expect(at('ml:land_use:')).toBeGreaterThan(-1);
    expect(at('ml:land_use:')).toBeLessThan(at('ml:farmland:'));
    expect(at('ml:farmland:')).toBeLessThan(at('ml:red_line:'));
    expect(at('ml:red_line:')).toBeLessThan(at('ml:urban_boundary:'));
    // The panel lists the map's layers top first, with the saved legend title.
    await expect(page.locator('[data-testid=map-layers] li').first().getAttribute('data-testid')).resolves.toBe('map-layer-urban_boundary');
    await expect(page.locator('[data-testid=map-layer-land_use]').textContent()).resolves.toContain('土地利用现状');
    // The saved view.
    const view = await page.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getZoom());
    expect(view).toBeCloseTo(10, 1);
  });

  it('edits the map (a layer hidden, a new title) and saves it: the revision grows', async () => {
    const rev = (await read()).doc!.revision;
    await page.locator('[data-testid=map-layer-red_line] input[type=checkbox]').uncheck();
    await page.waitForFunction(() => {
      const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
      return m.getLayoutProperty('ml:red_line:ecological_red_line-fill', 'visibility') === 'none';
    });
    await page.locator('[data-testid=map-title]').fill('德清县国土空间规划一张图（修订）');
    await page.locator('[data-testid=map-dirty]').waitFor();
    await page.locator('[data-testid=map-save]').click();
    await page.locator('[data-testid=map-dirty]').waitFor({ state: 'detached' });
    const after = (await read()).doc!;
    expect(after.revision).toBe(rev + 1);
    expect(after.title.zh).toBe('德清县国土空间规划一张图（修订）');
    expect(after.layers.find((l) => l.id === 'red_line')?.visible).toBe(false);
    // The farmland layer kept its own style through the save.
    expect((after.layers.find((l) => l.id === 'farmland')?.style as { symbol?: { fill?: string } } | null)?.symbol?.fill).toBe(MAGENTA);
  });

  it('says so when someone else saved the map in between (412), and keeps the map unchanged', async () => {
    const now = await read();
    expect((await write({ ...now.doc!, description: { zh: '他人的修改', en: '' } }, now.etag!)).status).toBe(200);
    await page.locator('[data-testid=map-layer-red_line] input[type=checkbox]').check();
    await page.locator('[data-testid=map-save]').click();
    // (The toast of the last save may still show: wait for this one.)
    await page.locator('.toast', { hasText: '已被他人修改' }).waitFor();
    await expect(page.locator('[data-testid=map-dirty]').isVisible()).resolves.toBe(true);
    const after = (await read()).doc!;
    expect(after.revision).toBe(now.doc!.revision + 1);
    expect(after.layers.find((l) => l.id === 'red_line')?.visible).toBe(false);
    // Opened again, it saves.
    await page.goto('about:blank');
    await page.goto(`${yitu.url}/#m=${MAP}`);
    await waitForMapIdle(page);
    await page.locator('[data-testid=map-layer-red_line]').waitFor();
  });

  it('makes the map private: no longer readable without its token, and its share link opens it', async () => {
    const rev = (await read()).doc!.revision;
    await page.locator('[data-testid=map-visibility]').selectOption('private');
    await page.locator('[data-testid=map-save]').click();
    await page.locator('[data-testid=map-dirty]').waitFor({ state: 'detached' });
    const link = await page.locator('[data-testid=map-share-link]').inputValue();
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('mt');
    expect(token).toBeTruthy();
    expect((await read(undefined, 'anonymous')).status).toBe(404);
    const withToken = await read(token!, 'anonymous');
    expect(withToken.status).toBe(200);
    expect(withToken.doc).toMatchObject({ visibility: 'private', revision: rev + 1 });
    expect((await (await fetch(`${yitu.url}/maps`)).json() as { maps: Array<{ id: string }> }).maps.some((m) => m.id === MAP)).toBe(false);

    const other = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    try {
      // Someone else on the staff (internal layers), who is not the map's owner: the token opens it.
      await signIn(other, yitu, yitu.users.analyst);
      await other.goto(link);
      await other.waitForFunction(() => !!(window as unknown as { __yitu?: YituHook }).__yitu?.map.getLayer('ml:farmland:permanent_basic_farmland-fill'), undefined, { timeout: 60_000 });
      expect(await hook(other)).toBe(true);
      await waitForMapIdle(other);
      await expect(other.locator('[data-testid=map-layers] h2').textContent()).resolves.toBe('德清县国土空间规划一张图（修订）');
    } finally {
      await other.close();
    }
  });

  it('identifies a land-use parcel of the map with its columns\' Chinese titles, and English ones in English', async () => {
    // A point of the view where a land-use parcel is the topmost feature of the map's layers.
    const findParcel = () =>
      page.evaluate(() => {
        const m = (window as unknown as { __yitu: YituHook }).__yitu.map;
        const layers = m.getStyle().layers.filter((l) => l.id.startsWith('ml:') && m.getLayoutProperty(l.id, 'visibility') !== 'none').map((l) => l.id);
        const c = m.getCanvas();
        for (let y = 120; y < c.clientHeight - 80; y += 23) {
          for (let x = 120; x < c.clientWidth - 400; x += 29) {
            const f = m.queryRenderedFeatures([[x - 5, y - 5], [x + 5, y + 5]], { layers });
            if (f[0]?.layer.id.startsWith('ml:land_use:') && f[0].id !== undefined) return { x, y };
          }
        }
        return null;
      });
    const at = await findParcel();
    expect(at, 'a land-use parcel is drawn').not.toBeNull();
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    await page.mouse.click(box.x + at!.x, box.y + at!.y);
    const panel = page.locator('[data-testid=identify-panel]');
    await panel.locator('table.attrs th', { hasText: '地类名称' }).first().waitFor();

    await page.locator('[data-testid=lang-toggle]').click();
    await page.waitForFunction(() => !!(window as unknown as { __yitu: YituHook }).__yitu.map.getLayer('ml:land_use:land_use_parcels-fill'));
    await waitForMapIdle(page);
    await page.mouse.click(box.x + at!.x, box.y + at!.y);
    await panel.locator('table.attrs th', { hasText: 'Land class' }).first().waitFor();
    await panel.locator('.panel-head button').click();
  });

  it('edits a map layer\'s style, and saves the workspace as a new private map carrying each layer\'s current style', async () => {
    const paintOf = (id: string) => page.evaluate((l) => (window as unknown as { __yitu: YituHook }).__yitu.map.getPaintProperty(l, 'fill-color'), id);
    // The map layer's own style, changed in the style editor: drawn at once, saved with the map.
    await page.locator('[data-testid=map-layer-farmland] .layer-title').click();
    await page.locator('[data-testid=map-layer-style-farmland]').click();
    const editor = page.locator('[data-testid=style-editor]');
    await editor.locator('select').first().selectOption('simple');
    await editor.locator('input[type=color]').fill('#00ffff');
    await editor.locator('button.primary').click();
    await page.waitForFunction(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getPaintProperty('ml:farmland:permanent_basic_farmland-fill', 'fill-color') === '#00ffff');
    await page.locator('[data-testid=map-dirty]').waitFor();
    await editor.locator('.panel-head button').click();
    // A dataset layer above the map, its dataset style edited in the style editor.
    await page.locator('[data-testid=layer-land_use_parcels] input[type=checkbox]').check();
    await page.locator('[data-testid=layer-land_use_parcels] .layer-title').click();
    await page.locator('[data-testid=layer-land_use_parcels] .layer-actions button', { hasText: 'Style' }).click();
    await editor.locator('select').first().selectOption('simple');
    await editor.locator('input[type=color]').fill('#123456');
    await editor.locator('button.primary').click();
    await page.waitForFunction(() => (window as unknown as { __yitu: YituHook }).__yitu.map.getPaintProperty('ds:land_use_parcels:land_use_parcels-fill', 'fill-color') === '#123456');
    await editor.locator('.panel-head button').click();
    expect(await paintOf('ml:farmland:permanent_basic_farmland-fill')).toBe('#00ffff');

    await page.locator('[data-testid=map-new-title]').fill('Plan with my styles');
    await page.locator('[data-testid=map-new-visibility]').selectOption('private');
    await page.locator('[data-testid=map-new-save]').click();
    await page.waitForFunction((old) => {
      const m = new URLSearchParams(window.location.hash.slice(1)).get('m');
      return !!m && m !== old && !!new URLSearchParams(window.location.hash.slice(1)).get('mt');
    }, MAP);
    const h = new URLSearchParams(new URL(page.url()).hash.slice(1));
    const [id, token] = [h.get('m')!, h.get('mt')!];
    expect((await fetch(`${yitu.url}/maps/${id}`)).status).toBe(404);
    // Read back as its maker: the anonymous public would not see the layers of internal datasets.
    const made = (await (await fetch(`${yitu.url}/maps/${id}?token=${encodeURIComponent(token)}`, { headers: yitu.users.admin.headers })).json()) as MapDoc;
    expect(made).toMatchObject({ visibility: 'private', title: { en: 'Plan with my styles' } });
    const fill = (l: MapDoc['layers'][number] | undefined) => (l?.style as { symbol?: { fill?: string } } | null)?.symbol?.fill;
    expect(fill(made.layers.find((l) => l.id === 'farmland'))).toBe('#00ffff');
    // The dataset layer on top, with the style edited for it.
    expect(made.layers.at(-1)?.dataset).toBe('land_use_parcels');
    expect(fill(made.layers.at(-1))).toBe('#123456');
    expect(made.layers.map((l) => l.id).slice(0, 4)).toEqual(['land_use', 'farmland', 'red_line', 'urban_boundary']);
  });

  it('copies the open map into a new private one, and deletes that after confirming', async () => {
    const from = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('m')!;
    const dialogs: string[] = [];
    page.on('dialog', (d) => void dialogs.push(d.message()));
    await page.locator('[data-testid=map-copy]').click();
    await page.waitForFunction((old) => new URLSearchParams(window.location.hash.slice(1)).get('m') !== old, from);
    const h = new URLSearchParams(new URL(page.url()).hash.slice(1));
    const [copy, token] = [h.get('m')!, h.get('mt')!];
    const doc = (await (await fetch(`${yitu.url}/maps/${copy}?token=${encodeURIComponent(token)}`)).json()) as MapDoc;
    expect(doc).toMatchObject({ visibility: 'private', title: { en: 'Plan with my styles (copy)' } });
    await page.locator('[data-testid=map-delete]').click();
    await page.locator('[data-testid=current-map]').waitFor({ state: 'detached' });
    expect(dialogs[0]).toContain('Plan with my styles (copy)');
    expect((await fetch(`${yitu.url}/maps/${copy}?token=${encodeURIComponent(token)}`)).status).toBe(404);
    // Its layers left the map.
    expect((await styleLayerIds(page)).some((x) => x.startsWith('ml:'))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('edits the layers of an open map (a dataset added with a filter and a legend title, a layer removed) and saves them', async () => {
    const OTHER = 'enterprise-mu-efficiency';
    const FILL = 'ml:land_use_parcels:land_use_parcels-fill';
    const readOther = async () => (await (await fetch(`${yitu.url}/maps/${OTHER}`, { headers: yitu.users.admin.headers })).json()) as MapDoc;
    const before = await readOther();
    expect(before.layers.some((l) => l.id === 'enterprise_grade')).toBe(true);
    await page.goto('about:blank');
    await page.goto(`${yitu.url}/#m=${OTHER}`);
    await page.locator('[data-testid=map-layer-urban_boundary]').waitFor();
    await waitForMapIdle(page);

    // Add the land-use parcels from the layer tree: a new map layer on top, the map now has unsaved changes.
    await page.locator('[data-testid=layer-land_use_parcels] .layer-title').click();
    await page.locator('[data-testid=layer-add-to-map-land_use_parcels]').click();
    await page.locator('[data-testid=map-dirty]').waitFor();
    await expect(page.locator('[data-testid=map-layers] li').first().getAttribute('data-testid')).resolves.toBe('map-layer-land_use_parcels');
    await page.waitForFunction((id) => !!(window as unknown as { __yitu: YituHook }).__yitu.map.getLayer(id), FILL);

    // Its settings: an unknown field is refused with the server's message; a good filter is applied to its tiles.
    const row = page.locator('[data-testid=map-layer-land_use_parcels]');
    await row.locator('.layer-title').click();
    await page.locator('[data-testid=map-layer-edit-land_use_parcels]').click();
    const filterBox = page.locator('[data-testid=map-layer-filter-land_use_parcels]');
    await filterBox.fill('no_such_field = 1');
    await page.locator('[data-testid=map-layer-filter-apply-land_use_parcels]').click();
    await expect(page.locator('[data-testid=map-layer-filter-error-land_use_parcels]').textContent()).resolves.toContain('no_such_field');
    await filterBox.fill("ownership = 'state'");
    await page.locator('[data-testid=map-layer-filter-apply-land_use_parcels]').click();
    await page.waitForFunction(() => {
      const st = (window as unknown as { __yitu: YituHook }).__yitu.map.getStyle();
      return Object.entries(st.sources).some(([k, src]) => k.startsWith('ml:land_use_parcels:') && ((src as { tiles?: string[] }).tiles ?? []).some((t) => t.includes('filter=')));
    });
    await page.locator('[data-testid=map-layer-filter-error-land_use_parcels]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=map-layer-legend-zh-land_use_parcels]').fill('国有图斑');
    await page.locator('[data-testid=map-layer-legend-zh-land_use_parcels]').press('Enter');
    await page.locator('[data-testid=map-layer-legend-en-land_use_parcels]').fill('State parcels');
    await page.locator('[data-testid=map-layer-legend-en-land_use_parcels]').press('Enter');
    await expect(row.locator('.layer-title').textContent()).resolves.toMatch(/国有图斑|State parcels/);
    // Labels: a field (listed by its display title) from zoom 13.
    const labelSelect = page.locator('[data-testid=map-layer-label-land_use_parcels]');
    await expect(labelSelect.locator('option[value=land_class]').textContent()).resolves.toMatch(/地类名称|Land class/);
    await labelSelect.selectOption('land_class');
    await page.locator('[data-testid=map-layer-label-zoom-land_use_parcels]').fill('13');

    // Remove a layer, undo, remove it again.
    await page.locator('[data-testid=map-layer-remove-enterprise_grade]').click();
    await page.locator('[data-testid=map-layer-enterprise_grade]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=map-layer-undo]').click();
    await page.locator('[data-testid=map-layer-enterprise_grade]').waitFor();
    await page.locator('[data-testid=map-layer-remove-enterprise_grade]').click();
    await page.locator('[data-testid=map-layer-enterprise_grade]').waitFor({ state: 'detached' });
    // The map's description, in both languages.
    await page.locator('[data-testid=map-description-zh]').fill('加上国有土地图斑');
    await page.locator('[data-testid=map-description-en]').fill('With state-owned parcels');

    await page.locator('[data-testid=map-save]').click();
    await page.locator('[data-testid=map-dirty]').waitFor({ state: 'detached' });
    const after = await readOther();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.layers.map((l) => l.id)).toEqual([...before.layers.map((l) => l.id).filter((id) => id !== 'enterprise_grade'), 'land_use_parcels']);
    expect(after.layers.at(-1)).toMatchObject({ dataset: 'land_use_parcels', filter: "ownership = 'state'", legendTitle: { zh: '国有图斑', en: 'State parcels' }, visible: true });
    expect(after.description).toEqual({ zh: '加上国有土地图斑', en: 'With state-owned parcels' });
    expect(after.layers.at(-1)?.label).toMatchObject({ field: 'land_class', minZoom: 13 });

    // Opened again by its link: the added layer is drawn with its filter (fewer parcels than the dataset has in view).
    await page.goto('about:blank');
    await page.goto(`${yitu.url}/#m=${OTHER}`);
    await page.waitForFunction((id) => !!(window as unknown as { __yitu?: YituHook }).__yitu?.map.getLayer(id), FILL, { timeout: 60_000 });
    await waitForMapIdle(page);
    await expect(page.locator('[data-testid=map-layer-land_use_parcels] .layer-title').textContent()).resolves.toMatch(/国有图斑|State parcels/);
    const distinct = (layer: string) =>
      page.evaluate((l) => new Set((window as unknown as { __yitu: YituHook }).__yitu.map.queryRenderedFeatures({ layers: [l] }).map((f) => f.id)).size, layer);
    const filtered = await distinct(FILL);
    expect(filtered).toBeGreaterThan(0);
    // The same dataset unfiltered, from the layer tree, in the same view.
    await page.locator('[data-testid=layer-land_use_parcels] input[type=checkbox]').check();
    await page.waitForFunction(() => !!(window as unknown as { __yitu: YituHook }).__yitu.map.getLayer('ds:land_use_parcels:land_use_parcels-fill'));
    await waitForMapIdle(page);
    const all = await distinct('ds:land_use_parcels:land_use_parcels-fill');
    expect(filtered).toBeLessThan(all);

    // With a map open, the catalog's “add to map” adds the dataset to that map (unsaved until asked).
    await page.evaluate(() => (window as unknown as { __yitu: YituHook }).__yitu.store.set({ view: 'catalog' }));
    await page.locator('[data-testid=catalog-item-ecological_red_line]').click();
    await page.locator('[data-testid=add-to-map]').click();
    await page.locator('[data-testid=map-layer-ecological_red_line]').waitFor();
    await page.locator('[data-testid=map-dirty]').waitFor();
    await page.waitForFunction(() => !!(window as unknown as { __yitu: YituHook }).__yitu.map.getLayer('ml:ecological_red_line:ecological_red_line-fill'));
    expect(errors).toEqual([]);
  });
});
