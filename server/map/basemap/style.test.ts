import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { isYituError } from '../../platform/errors.ts';
import { DEFAULT_FONT } from '../fonts/index.ts';
import { onlineBasemapOf, onlineStyleParts } from './online.ts';
import { BASEMAP_SOURCE, BASEMAP_TILE_LAYERS, basemapStyle, type BasemapStyleOptions } from './style.ts';

type Layer = { id: string; type: string; source?: string; 'source-layer'?: string; layout?: Record<string, unknown> };

function fullStyle(opts: BasemapStyleOptions) {
  return { version: 8, name: 'test', center: [120, 30.5], zoom: 10, ...basemapStyle(opts) };
}

/** Every string in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('the offline basemap style', () => {
  const base = 'https://yitu.example.gov.cn';
  const variants: BasemapStyleOptions[] = [
    { baseUrl: base, lang: 'zh' },
    { baseUrl: base, lang: 'en', theme: 'dark', bounds: [119.9, 30.4, 120.2, 30.7] },
    { baseUrl: '', lang: 'zh', theme: 'light' },
  ];

  it('is a valid MapLibre style in every language and theme', () => {
    for (const v of variants) expect(validateStyleMin(fullStyle(v) as never), JSON.stringify(v)).toEqual([]);
    // The validator does catch mistakes (so the check above can fail).
    const broken = fullStyle(variants[0]);
    (broken.layers[2] as { paint: Record<string, unknown> }).paint['fill-color'] = 42;
    expect(validateStyleMin(broken as never).length).toBeGreaterThan(0);
  });

  it('references only sources and tile layers that exist, with unique basemap- ids', () => {
    const s = basemapStyle(variants[0]);
    const layers = s.layers as Layer[];
    expect(new Set(layers.map((l) => l.id)).size).toBe(layers.length);
    for (const l of layers) {
      expect(l.id.startsWith('basemap-'), l.id).toBe(true);
      if (l.type === 'background') continue;
      expect(Object.keys(s.sources), l.id).toContain(l.source);
      expect(BASEMAP_TILE_LAYERS as readonly string[], l.id).toContain(l['source-layer']);
    }
    // Every tile layer is drawn by something.
    for (const tl of BASEMAP_TILE_LAYERS) expect(layers.some((l) => l['source-layer'] === tl), tl).toBe(true);
    // Every font it names is one the glyph server has.
    const fonts = new Set(layers.flatMap((l) => (l.layout?.['text-font'] as string[] | undefined) ?? []));
    expect(fonts).toContain(DEFAULT_FONT);
    for (const f of fonts) expect(f).toMatch(/^Noto Sans (Regular|Bold|Italic)$/);
  });

  it('points only at the server it came from', () => {
    for (const v of variants) {
      const s = basemapStyle(v);
      const urls = strings(s).filter((x) => /^[a-z]+:\/\//i.test(x) || x.startsWith('/'));
      expect(urls.length).toBeGreaterThanOrEqual(2);
      for (const u of urls) expect(u.startsWith(`${v.baseUrl}/`), u).toBe(true);
      expect(s.glyphs).toBe(`${v.baseUrl}/fonts/{fontstack}/{range}.pbf`);
      expect((s.sources[BASEMAP_SOURCE] as { tiles: string[] }).tiles).toEqual([`${v.baseUrl}/basemap/tiles/WebMercatorQuad/{z}/{y}/{x}`]);
    }
    expect((basemapStyle(variants[1]).sources[BASEMAP_SOURCE] as { bounds: number[] }).bounds).toEqual([119.9, 30.4, 120.2, 30.7]);
  });

  it('labels in Chinese by default and in English (pinyin) with lang=en', () => {
    const label = (lang: 'zh' | 'en', id: string) => JSON.stringify((basemapStyle({ baseUrl: '', lang }).layers as Layer[]).find((l) => l.id === id)!.layout!['text-field']);
    for (const id of ['basemap-place-town', 'basemap-place-village', 'basemap-place-county']) {
      expect(label('zh', id)).toContain('"name_zh"');
      expect(label('zh', id)).not.toContain('name_en');
      expect(label('en', id).indexOf('"name_en"')).toBeLessThan(label('en', id).indexOf('"name_zh"'));
    }
    for (const id of ['basemap-road-label', 'basemap-waterway-label', 'basemap-water-label']) {
      expect(label('zh', id)).not.toContain('name_en');
      expect(label('en', id)).toContain('"name_en"');
    }
  });

  it('has a dark theme with other colours', () => {
    const bg = (theme: 'light' | 'dark') => (basemapStyle({ baseUrl: '', lang: 'zh', theme }).layers[0] as { paint: Record<string, string> }).paint['background-color'];
    expect(bg('light')).not.toBe(bg('dark'));
  });
});

describe('the online basemap from the configuration', () => {
  const cfg = (basemapUrl: string | undefined) => ({ basemapUrl, basemapAttribution: '天地图', basemapName: '' });

  it('is absent unless configured', () => {
    expect(onlineBasemapOf(cfg(undefined))).toBeNull();
    expect(onlineBasemapOf(cfg('  '))).toBeNull();
  });

  it('takes XYZ templates and WMTS placeholders, several drawn in order', () => {
    const vec = 'https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=vec&TILEMATRIXSET=w&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk=k';
    const o = onlineBasemapOf(cfg(`${vec}  https://tiles.example.org/{z}/{x}/{y}.png`))!;
    expect(o.tiles).toEqual([vec.replace('{TileMatrix}', '{z}').replace('{TileRow}', '{y}').replace('{TileCol}', '{x}'), 'https://tiles.example.org/{z}/{x}/{y}.png']);
    const parts = onlineStyleParts(o);
    expect((parts.layers as Layer[]).map((l) => l.id)).toEqual(['basemap-xyz-0', 'basemap-xyz-1']);
    expect(parts.sources['basemap-xyz-0']).toMatchObject({ type: 'raster', tileSize: 256, attribution: '天地图' });
    const style = { version: 8, sources: parts.sources, layers: parts.layers };
    expect(validateStyleMin(style as never)).toEqual([]);
  });

  it('refuses a template without {z}, {x} and {y} with a message naming the setting', () => {
    let err: unknown;
    try {
      onlineBasemapOf(cfg('https://tiles.example.org/tile.png'));
    } catch (e) {
      err = e;
    }
    expect(isYituError(err) && err.code).toBe('YITU_ERR_CONFIG_INVALID');
    expect(String((err as Error).message)).toContain('YITU_BASEMAP_URL');
  });
});
