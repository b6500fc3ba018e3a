import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../test-support/databases.ts';
import { body, createDataset, type FixtureFeature, openOgcTestApp, type OgcTestApp } from '../ogc/test-app.ts';
import { memorySource } from './formats/memory-source.ts';
import type { Dataset, DatasetColumn } from './model.ts';

const feature = (x: number, props: Record<string, unknown>): FixtureFeature => ({ geometry: { type: 'Point', coordinates: [119.9 + x / 100, 30.5] }, properties: props });
const parcels = (): FixtureFeature[] => [
  feature(1, { 编号: 'A1', land_class: '耕地', capacity: 10 }),
  feature(2, { 编号: 'A2', land_class: '林地', capacity: 20 }),
];

type Problem = { code: string; status: number; detail: string };
type Queryables = {
  title: string;
  properties: Record<string, { title: string; type?: string; 'x-yitu-titles'?: { zh?: string; en?: string }; 'x-yitu-original-name'?: string }>;
  queryables: { id: string; title: string }[];
};

describeEachBackend('column display titles', (kind) => {
  let t: OgcTestApp;
  const get = (url: string) => t.app.inject({ url });
  const patch = (id: string, payload: unknown) => t.app.inject({ method: 'PATCH', url: `/datasets/${id}`, payload: payload as object });
  const columns = async (id: string): Promise<Record<string, DatasetColumn>> =>
    Object.fromEntries(body<Dataset>(await get(`/datasets/${id}`)).columns.map((c) => [c.name, c]));

  beforeAll(async () => {
    t = await openOgcTestApp(kind);
    await createDataset(t.services, 'parcels', parcels(), {
      titleZh: '地块',
      titleEn: 'Parcels',
      // By safe name, and by the name in the file (编号 is stored as f1).
      columnTitles: { land_class: { zh: ' 用地分类 ', en: 'Land class' }, 编号: { zh: '地块编号', en: 'Parcel id' } },
    });
  });
  afterAll(async () => t?.close());

  it('sets titles at import and returns them on the columns of /datasets/{id}', async () => {
    const ds = body<Dataset>(await get('/datasets/parcels'));
    expect(ds.columns).toEqual([
      { name: 'f1', title: '编号', type: 'text', titles: { zh: '地块编号', en: 'Parcel id' } },
      { name: 'land_class', title: 'land_class', type: 'text', titles: { zh: '用地分类', en: 'Land class' } },
      { name: 'capacity', title: 'capacity', type: 'integer' },
    ]);
    // The catalog list carries them too.
    const list = body<{ datasets: Dataset[] }>(await get('/datasets?q=parcels'));
    expect(list.datasets[0].columns[1].titles).toEqual({ zh: '用地分类', en: 'Land class' });
  });

  it('refuses titles of unknown columns at import, naming the columns, and creates nothing', async () => {
    const err = await t.services.hub
      .importAndWait({ datasetId: 'bad_titles', mode: 'create', source: memorySource(parcels()), metadata: { columnTitles: { landclass: { zh: '用地' } } } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'YITU_ERR_DATASET_METADATA_INVALID', status: 400 });
    expect((err as Error).message).toContain('"landclass" is not a column of "bad_titles"');
    expect((err as Error).message).toContain('f1 (编号), land_class, capacity');
    expect((await get('/datasets/bad_titles')).statusCode).toBe(404);
  });

  it('changes titles with PATCH /datasets/{id}: languages merge, "" or null removes', async () => {
    let res = await patch('parcels', { columnTitles: { capacity: { zh: '规模' } } });
    expect(res.statusCode).toBe(200);
    expect(body<Dataset>(res).columns.find((c) => c.name === 'capacity')?.titles).toEqual({ zh: '规模' });
    res = await patch('parcels', { columnTitles: { capacity: { en: 'Capacity' }, land_class: { en: '' } } });
    expect(res.statusCode).toBe(200);
    let cols = await columns('parcels');
    expect(cols.capacity.titles).toEqual({ zh: '规模', en: 'Capacity' });
    expect(cols.land_class.titles).toEqual({ zh: '用地分类' });
    res = await patch('parcels', { columnTitles: { land_class: null, f1: { zh: null, en: null } } });
    cols = await columns('parcels');
    expect(cols.land_class).toEqual({ name: 'land_class', title: 'land_class', type: 'text' });
    expect(cols.f1).toEqual({ name: 'f1', title: '编号', type: 'text' });
    // Put them back for the tests below; other metadata in the same PATCH applies too.
    res = await patch('parcels', { titleEn: 'Land parcels', columnTitles: { land_class: { zh: '用地分类', en: 'Land class' }, f1: { zh: '地块编号', en: 'Parcel id' } } });
    expect(body<Dataset>(res).title.en).toBe('Land parcels');
  });

  it('refuses unknown columns and over-long titles with a 400 and changes nothing', async () => {
    const before = await columns('parcels');
    let res = await patch('parcels', { titleZh: '不应写入', columnTitles: { capacity: { zh: '容量' }, nope: { en: 'Nope' } } });
    expect(res.statusCode).toBe(400);
    const p = body<Problem>(res);
    expect(p.code).toBe('YITU_ERR_DATASET_METADATA_INVALID');
    expect(p.detail).toBe('columnTitles: "nope" is not a column of "parcels". Its columns: f1 (编号), land_class, capacity.');
    res = await patch('parcels', { columnTitles: { capacity: { zh: '长'.repeat(201) } } });
    expect(res.statusCode).toBe(400);
    expect(body<Problem>(res).detail).toContain('at most 200 characters');
    res = await patch('parcels', { columnTitles: { capacity: { fr: 'Capacité' } } });
    expect(res.statusCode).toBe(400);
    res = await patch('parcels', { columnTitles: ['capacity'] });
    expect(res.statusCode).toBe(400);
    expect(await columns('parcels')).toEqual(before);
    expect(body<Dataset>(await get('/datasets/parcels')).title.zh).toBe('地块');
  });

  it('keeps titles through append and replace; new columns come without, or with the titles the import gives', async () => {
    await t.services.hub.importAndWait({ datasetId: 'parcels', mode: 'append', source: memorySource([feature(3, { 编号: 'A3', land_class: '园地', owner: '村集体' })]) });
    let cols = await columns('parcels');
    expect(cols.land_class.titles).toEqual({ zh: '用地分类', en: 'Land class' });
    expect(cols.capacity.titles).toEqual({ zh: '规模', en: 'Capacity' });
    expect(cols.owner).toEqual({ name: 'owner', title: 'owner', type: 'text' });
    await t.services.hub.importAndWait({
      datasetId: 'parcels', mode: 'replace', source: memorySource([...parcels(), feature(4, { 编号: 'A4', owner: '国有', town_code: '330521001' })]),
      metadata: { columnTitles: { town_code: { zh: '乡镇代码', en: 'Town code' }, owner: { zh: '权属' } } },
    });
    const ds = await t.services.hub.get('parcels');
    expect(ds.featureCount).toBe(3);
    cols = await columns('parcels');
    expect(cols.f1.titles).toEqual({ zh: '地块编号', en: 'Parcel id' });
    expect(cols.land_class.titles).toEqual({ zh: '用地分类', en: 'Land class' });
    expect(cols.owner.titles).toEqual({ zh: '权属' });
    expect(cols.town_code.titles).toEqual({ zh: '乡镇代码', en: 'Town code' });
    // An append naming a column that is neither there nor in the file fails and leaves the dataset as it was.
    const err = await t.services.hub
      .importAndWait({ datasetId: 'parcels', mode: 'append', source: memorySource(parcels()), metadata: { columnTitles: { village: { zh: '村' } } } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'YITU_ERR_DATASET_METADATA_INVALID' });
    expect((await t.services.hub.get('parcels')).currentVersion).toBe(ds.currentVersion);
  });

  it('gives the queryables display titles in Chinese by default or in English with lang=en', async () => {
    const zh = body<Queryables>(await get('/collections/parcels/queryables'));
    expect(zh.properties.land_class).toEqual({
      title: '用地分类', type: 'string', 'x-yitu-titles': { zh: '用地分类', en: 'Land class' }, 'x-yitu-original-name': 'land_class',
    });
    expect(zh.properties.f1).toMatchObject({ title: '地块编号', 'x-yitu-original-name': '编号' });
    // Only a Chinese title: English falls back to it.
    expect(zh.properties.owner['x-yitu-titles']).toEqual({ zh: '权属' });
    expect(zh.queryables.find((q) => q.id === 'land_class')?.title).toBe('用地分类');
    expect(zh.title).toBe('地块');
    const en = body<Queryables>(await get('/collections/parcels/queryables?lang=en'));
    expect(en.properties.land_class.title).toBe('Land class');
    expect(en.properties.capacity.title).toBe('Capacity');
    expect(en.properties.owner.title).toBe('权属');
    expect(en.queryables.find((q) => q.id === 'f1')?.title).toBe('Parcel id');
    expect(en.title).toBe('Land parcels');
    const bad = await get('/collections/parcels/queryables?lang=fr');
    expect(bad.statusCode).toBe(400);
    expect(body<Problem>(bad).code).toBe('YITU_ERR_QUERY_PARAM_INVALID');
  });

  it('leaves columns without display titles as before: the original name as title, no extra keys', async () => {
    await createDataset(t.services, 'plain', parcels());
    const q = body<Queryables>(await get('/collections/plain/queryables?lang=en'));
    expect(q.properties.land_class).toEqual({ title: 'land_class', type: 'string' });
    expect(q.properties.f1).toEqual({ title: '编号', type: 'string' });
    expect(Object.values(await columns('plain')).some((c) => 'titles' in c)).toBe(false);
  });

  it('takes columnTitles as a JSON option of an upload, and refuses one that is not JSON', async () => {
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: parcels().map((f) => ({ type: 'Feature', ...f })) });
    const send = (qs: string) =>
      t.app.inject({ method: 'POST', url: `/datasets/uploaded/imports?${qs}`, headers: { 'content-type': 'application/geo+json' }, payload: geojson });
    const bad = await send('columnTitles=%7Bnot%20json');
    expect(bad.statusCode).toBe(400);
    expect(body<Problem>(bad).detail).toContain('columnTitles');
    const res = await send(`columnTitles=${encodeURIComponent(JSON.stringify({ capacity: { zh: '规模', en: 'Capacity' } }))}`);
    expect(res.statusCode).toBe(202);
    await t.services.jobs.wait(body<{ id: string }>(res).id);
    expect((await columns('uploaded')).capacity.titles).toEqual({ zh: '规模', en: 'Capacity' });
  });
});
