import { beforeEach, describe, expect, it } from 'vitest';
import { assignLayerIds, mapInputSchema } from '../../../server/map/maps/model.ts';
import { store, type MapLayerState } from '../app/store.ts';
import { addDatasetToMap, freeLayerId, removedLayer, removeMapLayer, undoRemove } from './map-edit.ts';

const layer = (id: string, dataset: string): MapLayerState => ({ id, dataset, style: null, filter: null, visible: true, opacity: 1, legendTitle: null });

function openMap(layers: MapLayerState[]): void {
  store.set({
    openMap: { id: 'plan', revision: 3, title: { zh: '规划', en: '' }, description: { zh: '', en: '' }, visibility: 'public', shareToken: null, dirty: false },
    mapLayers: layers,
    layers: [{ id: 'roads', visible: true, opacity: 0.5 }],
    editedStyles: {},
    mapFilters: {},
  });
}

describe('editing the open map\'s layers', () => {
  beforeEach(() => openMap([layer('roads', 'roads'), layer('farmland', 'permanent_basic_farmland')]));

  it('names an added layer as the server would name it', () => {
    const ids = ['roads', 'roads_2'].map((id) => ({ id }));
    expect(freeLayerId('roads', ids)).toBe('roads_3');
    const input = mapInputSchema.parse({ title: { zh: '规划' }, view: { center: [120, 30], zoom: 10 }, layers: [...ids.map(({ id }) => ({ id, dataset: 'roads' })), { dataset: 'roads' }] });
    const server = assignLayerIds(input.layers);
    expect(server.at(-1)?.id).toBe('roads_3');
  });

  it('adds a dataset on top with the style edited for it and the table\'s filter, hides its tree layer, and marks the map changed', () => {
    const style = { kind: 'simple', symbol: { fill: '#123456' } } as const;
    store.set({ editedStyles: { roads: style as never }, mapFilters: { roads: "class = 'primary'" } });
    expect(addDatasetToMap('roads')).toBe('roads_2');
    const s = store.get();
    expect(s.mapLayers.at(-1)).toMatchObject({ id: 'roads_2', dataset: 'roads', style, filter: "class = 'primary'", opacity: 0.5, visible: true });
    expect(s.layers[0].visible).toBe(false);
    expect(s.openMap?.dirty).toBe(true);
    // What the map saves is what the server accepts.
    const parsed = mapInputSchema.safeParse({ title: { zh: '规划' }, view: { center: [120, 30], zoom: 10 }, layers: s.mapLayers.map(({ missing: _m, ...l }) => l) });
    expect(parsed.success).toBe(true);
  });

  it('does nothing without an open map', () => {
    store.set({ openMap: null });
    expect(addDatasetToMap('roads')).toBeNull();
  });

  it('removes a layer and puts it back in its place; the offer goes once the map is saved', () => {
    removeMapLayer('roads');
    expect(store.get().mapLayers.map((l) => l.id)).toEqual(['farmland']);
    expect(store.get().openMap?.dirty).toBe(true);
    expect(removedLayer()?.id).toBe('roads');
    undoRemove();
    expect(store.get().mapLayers.map((l) => l.id)).toEqual(['roads', 'farmland']);
    expect(removedLayer()).toBeNull();
    removeMapLayer('farmland');
    store.set((s) => ({ openMap: { ...s.openMap!, revision: 4, dirty: false } }));
    expect(removedLayer()).toBeNull();
  });
});
