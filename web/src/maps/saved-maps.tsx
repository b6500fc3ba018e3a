import { useEffect, useState } from 'react';
import { api, ApiError } from '../app/api.ts';
import { store, toast, useStore, type OpenMap } from '../app/store.ts';
import { pick, translate, useT } from '../i18n/i18n.ts';
import type { SavedMap } from '../../../server/map/maps/model.ts';
import { closeSavedMap, copyMap, deleteOpenMap, openSavedMap, saveAsNewMap, saveOpenMap, shareUrl } from './saved-map-actions.ts';

export { openSavedMap, workspaceAsMap } from './saved-map-actions.ts';

/** A saved map as `/maps` lists it. */
type Listed = Pick<SavedMap, 'id' | 'title' | 'visibility'> & Partial<SavedMap>;

const fail = (e: unknown) => toast((e as Error).message);

/** Marks the open map changed with `change` (saved with “save changes”). */
function editOpenMap(change: Partial<OpenMap>): void {
  store.set((s) => (s.openMap ? { openMap: { ...s.openMap, ...change, dirty: true } } : {}));
}

/** The open saved map: title, access, share link, save / copy / delete / close. */
function CurrentMap({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const o = useStore((s) => s.openMap);
  const [busy, setBusy] = useState(false);
  if (!o) return null;
  const link = shareUrl(o);
  const run = (f: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    void f()
      .then(() => {
        if (done) toast(done);
        onChanged();
      })
      .catch(fail)
      .finally(() => setBusy(false));
  };
  const name = pick(lang, o.title) || o.id;
  return (
    <div className="current-map" data-testid="current-map">
      <h3>
        {t('maps.current')} <span className="muted small">{t('maps.revision', { n: o.revision })}</span>
      </h3>
      <label className="field">
        {t('maps.titleLabel')}
        <input data-testid="map-title" value={o.title[lang]} placeholder={o.title[lang === 'zh' ? 'en' : 'zh']} onChange={(e) => editOpenMap({ title: { ...o.title, [lang]: e.target.value } })} />
      </label>
      {(['zh', 'en'] as const).map((l) => (
        <label className="field" key={l}>
          {t(l === 'zh' ? 'maps.descriptionZh' : 'maps.descriptionEn')}
          <textarea data-testid={`map-description-${l}`} rows={2} maxLength={10_000} value={o.description[l]} onChange={(e) => editOpenMap({ description: { ...o.description, [l]: e.target.value } })} />
        </label>
      ))}
      <label className="field">
        {t('maps.visibility')}
        <select data-testid="map-visibility" value={o.visibility} onChange={(e) => editOpenMap({ visibility: e.target.value as OpenMap['visibility'] })}>
          <option value="public">{t('maps.publicLong')}</option>
          <option value="private">{t('maps.private')}</option>
        </select>
      </label>
      {o.dirty && <p className="muted small" data-testid="map-dirty">{t('maps.unsaved')}</p>}
      <div className="map-actions">
        <button type="button" className="primary small" data-testid="map-save" disabled={busy} onClick={() => run(() => saveOpenMap(), t('maps.saved'))}>
          {t('maps.saveChanges')}
        </button>
        <button type="button" className="small" data-testid="map-copy" disabled={busy} onClick={() => run(() => copyMap(o.id, o.shareToken))}>
          {t('maps.copy')}
        </button>
        <button
          type="button"
          className="small"
          data-testid="map-delete"
          disabled={busy}
          onClick={() => {
            if (window.confirm(translate(lang, 'maps.deleteConfirm', { name }))) run(deleteOpenMap, t('maps.deleted'));
          }}
        >
          {t('maps.delete')}
        </button>
        <button type="button" className="small" data-testid="map-close" onClick={closeSavedMap}>
          {t('maps.close')}
        </button>
      </div>
      {/* A private map's link carries its share token; a public one's only names it. Saved state only. */}
      {!o.dirty || o.visibility === 'public' ? (
        <label className="field">
          {t('maps.shareLink')}
          <span className="share-row">
            <input readOnly data-testid="map-share-link" value={link} onFocus={(e) => e.target.select()} />
            <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(link).then(() => toast(t('map.copied')), () => toast(link))}>
              {t('maps.copyLink')}
            </button>
          </span>
        </label>
      ) : null}
    </div>
  );
}

/** Saved (thematic) maps: the open one (edit, save, copy, share, delete), save the workspace as a new one, the public list. */
export function SavedMaps() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const current = useStore((s) => s.savedMap);
  const [maps, setMaps] = useState<Listed[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [title, setTitle] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [open, setOpen] = useState(false);
  const reload = () =>
    api<{ maps: Listed[] } | Listed[]>('/maps?limit=200')
      .then((r) => setMaps(Array.isArray(r) ? r : r.maps))
      .catch((e) => (e instanceof ApiError && e.status === 404 ? setUnavailable(true) : fail(e)));
  useEffect(() => {
    if (current) setOpen(true);
  }, [current]);
  useEffect(() => {
    if (open) void reload();
  }, [open]);
  const save = async () => {
    if (!title.trim()) return;
    try {
      await saveAsNewMap(title.trim(), visibility);
      setTitle('');
      toast(t('maps.saved'));
      await reload();
    } catch (e) {
      fail(e);
    }
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
          <CurrentMap onChanged={() => void reload()} />
          <h3>{t('maps.saveNew')}</h3>
          <div className="save-row">
            <input data-testid="map-new-title" placeholder={t('maps.saveAs')} value={title} onChange={(e) => setTitle(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} />
            <select data-testid="map-new-visibility" aria-label={t('maps.visibility')} value={visibility} onChange={(e) => setVisibility(e.target.value as 'public' | 'private')}>
              <option value="public">{t('maps.public')}</option>
              <option value="private">{t('maps.private')}</option>
            </select>
            <button type="button" className="primary" data-testid="map-new-save" onClick={() => void save()}>
              {t('maps.save')}
            </button>
          </div>
          {maps && !maps.length && <p className="muted small">{t('maps.none')}</p>}
          <ul className="maps">
            {maps?.map((m) => (
              <li key={m.id} className={m.id === current ? 'active' : ''}>
                <button type="button" className="link" data-testid={`open-map-${m.id}`} onClick={() => void openSavedMap(m.id).catch(fail)}>
                  {pick(lang, { zh: m.title.zh ?? '', en: m.title.en ?? '' })}
                </button>
                <span className="map-actions">
                  <button type="button" className="small" onClick={() => void copyMap(m.id, null).then(reload).catch(fail)}>
                    {t('maps.copy')}
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
