import { useEffect, useState } from 'react';
import { api, ApiError } from '../app/api.ts';
import { store, toast, useStore } from '../app/store.ts';
import { scheduleHashWrite } from '../app/url-hash.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { getMap, whenMap } from '../map/map-instance.ts';
import type { MapInput, SavedMap } from '../../../server/map/maps/model.ts';

/** A saved map as `/maps` lists it. */
type Listed = Pick<SavedMap, 'id' | 'title' | 'visibility' | 'shareToken'> & Partial<SavedMap>;

/** The workspace as a saved map: the visible layers (bottom first) with their map filters, and the view. */
export function workspaceAsMap(title: string): MapInput {
  const s = store.get();
  const m = getMap();
  const c = m?.getCenter();
  return {
    title: s.lang === 'zh' ? { zh: title } : { en: title },
    visibility: 'public',
    view: { center: [c?.lng ?? 120, c?.lat ?? 30.5], zoom: m?.getZoom() ?? 10, pitch: m?.getPitch() ?? 0, bearing: m?.getBearing() ?? 0, basemap: s.basemap },
    layers: s.layers
      .filter((l) => l.visible && s.datasets.find((d) => d.id === l.id)?.kind === 'features')
      .reverse()
      .map((l) => ({ dataset: l.id, opacity: l.opacity, visible: true, ...(s.mapFilters[l.id] ? { filter: s.mapFilters[l.id] } : {}) })),
  };
}

/** Opens a saved map in the workspace: its layers (top first in the tree) with their filters, view and basemap. */
export async function openSavedMap(id: string, token?: string): Promise<void> {
  const m = await api<SavedMap>(`/maps/${encodeURIComponent(id)}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  store.set((s) => {
    const listed = [...m.layers].reverse();
    const ids = new Set(listed.map((l) => l.dataset));
    return {
      savedMap: m.id,
      basemap: m.view.basemap ?? s.basemap,
      pitch3d: (m.view.pitch ?? 0) > 10,
      layers: [...listed.map((l) => ({ id: l.dataset, visible: l.visible !== false, opacity: l.opacity ?? 1 })), ...s.layers.filter((l) => !ids.has(l.id)).map((l) => ({ ...l, visible: false }))],
      mapFilters: Object.fromEntries(listed.filter((l) => l.filter).map((l) => [l.dataset, l.filter!])),
    };
  });
  const map = await whenMap();
  map.jumpTo({ center: m.view.center, zoom: m.view.zoom, pitch: m.view.pitch ?? 0, bearing: m.view.bearing ?? 0 });
  scheduleHashWrite(map);
}

/** Saved (thematic) maps: list, open, save the workspace, copy, share. */
export function SavedMaps() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const current = useStore((s) => s.savedMap);
  const [maps, setMaps] = useState<Listed[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [title, setTitle] = useState('');
  const [open, setOpen] = useState(false);
  const reload = () =>
    api<{ maps: Listed[] } | Listed[]>('/maps')
      .then((r) => setMaps(Array.isArray(r) ? r : r.maps))
      .catch((e) => (e instanceof ApiError && e.status === 404 ? setUnavailable(true) : toast((e as Error).message)));
  useEffect(() => {
    if (open) void reload();
  }, [open]);
  const save = async () => {
    if (!title.trim()) return;
    try {
      const m = await api<SavedMap>('/maps', { method: 'POST', json: workspaceAsMap(title.trim()) });
      store.set({ savedMap: m.id });
      setTitle('');
      toast(t('maps.saved'));
      await reload();
    } catch (e) {
      toast((e as Error).message);
    }
  };
  const share = (m: Listed) => {
    const url = `${window.location.origin}/#view=map&m=${m.id}${m.visibility === 'private' ? `&mt=${m.shareToken}` : ''}`;
    void navigator.clipboard?.writeText(url).then(() => toast(t('map.copied')), () => toast(url));
  };
  return (
    <div className="panel saved-maps" data-testid="saved-maps">
      <button type="button" className="panel-head as-button" onClick={() => setOpen((o) => !o)}>
        <h2>{t('maps.title')}</h2>
        <span className="chev">{open ? '▾' : '▸'}</span>
      </button>
      {open && unavailable && <p className="muted small">{t('maps.unavailable')}</p>}
      {open && !unavailable && (
        <>
          <div className="save-row">
            <input placeholder={t('maps.saveAs')} value={title} onChange={(e) => setTitle(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} />
            <button type="button" className="primary" onClick={() => void save()}>
              {t('maps.save')}
            </button>
          </div>
          {maps && !maps.length && <p className="muted small">{t('maps.none')}</p>}
          <ul className="maps">
            {maps?.map((m) => (
              <li key={m.id} className={m.id === current ? 'active' : ''}>
                <button type="button" className="link" onClick={() => void openSavedMap(m.id).catch((e: Error) => toast(e.message))}>
                  {pick(lang, { zh: m.title.zh ?? '', en: m.title.en ?? '' })}
                </button>
                <span className="map-actions">
                  <button type="button" className="small" onClick={() => void api<SavedMap>(`/maps/${m.id}/copy`, { method: 'POST', json: {} }).then((c) => openSavedMap(c.id)).then(reload).catch((e: Error) => toast(e.message))}>
                    {t('maps.copy')}
                  </button>
                  <button type="button" className="small" onClick={() => share(m)}>
                    {t('maps.share')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
