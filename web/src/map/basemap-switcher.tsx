import { useEffect, useState } from 'react';
import type { BasemapInfo } from '../app/api-types.ts';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { listBasemaps } from './basemap.ts';

function title(lang: 'zh' | 'en', b: BasemapInfo): string {
  if (!b.title) return b.id;
  return typeof b.title === 'string' ? b.title : pick(lang, b.title);
}

/** Picks the basemap among those the server offers (`/basemaps`), or none. */
export function BasemapSwitcher() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const basemap = useStore((s) => s.basemap);
  const [list, setList] = useState<BasemapInfo[]>([]);
  useEffect(() => {
    void listBasemaps().then(setList);
  }, []);
  return (
    <label className="basemap" title={t('basemap.title')}>
      <span className="sr">{t('basemap.title')}</span>
      <select data-testid="basemap" value={basemap} onChange={(e) => store.set({ basemap: e.target.value })}>
        {list.map((b) => (
          <option key={b.id} value={b.id}>
            {title(lang, b)}
          </option>
        ))}
        <option value="none">{t('basemap.none')}</option>
      </select>
    </label>
  );
}
