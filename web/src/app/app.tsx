import { useEffect } from 'react';
import { persistLang, useT } from '../i18n/i18n.ts';
import { Workspace } from '../map/workspace.tsx';
import { Catalog } from '../hub/catalog.tsx';
import { UploadWizard } from '../hub/upload-wizard.tsx';
import { SearchBox } from '../regions/search-box.tsx';
import { getMap } from '../map/map-instance.ts';
import { store, useStore, type View } from './store.ts';
import type { HashState } from './url-hash.ts';
import { scheduleHashWrite } from './url-hash.ts';

/** The app: a header (brand, screens, search, language) over the current screen. */
export function App({ initial }: { initial: HashState }) {
  const t = useT();
  const view = useStore((s) => s.view);
  const lang = useStore((s) => s.lang);
  const toastText = useStore((s) => s.toast);
  const savedMap = useStore((s) => s.savedMap);
  const basemap = useStore((s) => s.basemap);

  useEffect(() => {
    persistLang(lang);
    document.title = `${t('app.title')} · ${lang === 'zh' ? 'Yitu' : '一图'}`;
    scheduleHashWrite(getMap());
  }, [lang, view, savedMap, basemap]);

  const tab = (v: View, label: string) => (
    <button type="button" className={`tab ${view === v ? 'active' : ''}`} data-testid={`nav-${v}`} onClick={() => store.set({ view: v })}>
      {label}
    </button>
  );

  return (
    <div className={`app view-${view}`}>
      <header className="topbar">
        <div className="brand">
          <span className="logo">图</span>
          <span className="brand-name">{t('app.title')}</span>
          <span className="brand-sub">{t('app.subtitle')}</span>
        </div>
        <nav className="tabs">
          {tab('map', t('nav.map'))}
          {tab('catalog', t('nav.catalog'))}
          {tab('upload', t('nav.upload'))}
        </nav>
        <SearchBox />
        <button type="button" className="lang" data-testid="lang-toggle" title={t('lang.name')} onClick={() => store.set({ lang: lang === 'zh' ? 'en' : 'zh' })}>
          {t('lang.toggle')}
        </button>
      </header>
      <main className="body">
        {/* The workspace stays mounted so that the map keeps its state behind the other screens. */}
        <div className="screen" hidden={view !== 'map'}>
          <Workspace initial={initial} />
        </div>
        {view === 'catalog' && (
          <div className="screen">
            <Catalog />
          </div>
        )}
        {view === 'upload' && (
          <div className="screen">
            <UploadWizard />
          </div>
        )}
      </main>
      {toastText && <div className="toast" role="status">{toastText}</div>}
    </div>
  );
}
