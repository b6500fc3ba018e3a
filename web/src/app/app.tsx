import { useEffect } from 'react';
import { persistLang, useT } from '../i18n/i18n.ts';
import { Workspace } from '../map/workspace.tsx';
import { Catalog } from '../hub/catalog.tsx';
import { UploadWizard } from '../hub/upload-wizard.tsx';
import { SearchBox } from '../regions/search-box.tsx';
import { SignInPage } from '../access/sign-in-page.tsx';
import { UserMenu } from '../access/user-menu.tsx';
import { DatasetAccessPage } from '../access/dataset-access-page.tsx';
import { goToSignIn } from '../access/session.ts';
import { hasRole } from '../access/types.ts';
import { AdminPage } from '../admin/admin-page.tsx';
import { AuditPage } from '../audit/audit-page.tsx';
import { SharingPage } from '../sharing/sharing-page.tsx';
import { getMap } from '../map/map-instance.ts';
import { store, useStore, type View } from './store.ts';
import type { HashState } from './url-hash.ts';
import { scheduleHashWrite } from './url-hash.ts';

/** Screens for signed-in people only; the anonymous public is asked to sign in. */
const SIGNED_IN_VIEWS: readonly View[] = ['upload', 'sharing', 'audit', 'admin', 'access'];

/** Asks the anonymous public to sign in before a screen for staff. */
function SignInFirst() {
  const t = useT();
  return (
    <div className="panel page-message" data-testid="sign-in-first">
      <p>{t('access.signInFirst')}</p>
      <button type="button" className="primary" onClick={() => goToSignIn()}>
        {t('auth.signIn')}
      </button>
    </div>
  );
}

/** The app: a header (brand, screens, search, language, account) over the current screen. */
export function App({ initial }: { initial: HashState }) {
  const t = useT();
  const view = useStore((s) => s.view);
  const lang = useStore((s) => s.lang);
  const toastText = useStore((s) => s.toast);
  const savedMap = useStore((s) => s.savedMap);
  const basemap = useStore((s) => s.basemap);
  const catalogPick = useStore((s) => s.catalogPick);
  const session = useStore((s) => s.session);
  const signedIn = !!session?.authenticated;
  const admin = !!session?.authenticated && session.permissions.administer;
  const audit = !!session?.authenticated && session.permissions.readAudit;
  // Imports are for data stewards (into their department) and administrators (server/access/policy.ts canCreateDataset).
  const uploads = admin || hasRole(session, 'data_steward');

  useEffect(() => {
    persistLang(lang);
    document.title = `${t('app.title')} · ${lang === 'zh' ? 'Yitu' : '一图'}`;
    scheduleHashWrite(getMap());
  }, [lang, view, savedMap, basemap, catalogPick]);

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
          {uploads && tab('upload', t('nav.upload'))}
          {signedIn && tab('sharing', t('nav.sharing'))}
          {audit && tab('audit', t('nav.audit'))}
          {admin && tab('admin', t('nav.admin'))}
        </nav>
        <SearchBox />
        <button type="button" className="lang" data-testid="lang-toggle" title={t('lang.name')} onClick={() => store.set({ lang: lang === 'zh' ? 'en' : 'zh' })}>
          {t('lang.toggle')}
        </button>
        <UserMenu />
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
        {session && !signedIn && SIGNED_IN_VIEWS.includes(view) ? (
          <div className="screen">
            <SignInFirst />
          </div>
        ) : (
          <>
            {view === 'upload' && (
              <div className="screen">
                <UploadWizard />
              </div>
            )}
            {view === 'sharing' && (
              <div className="screen">
                <SharingPage />
              </div>
            )}
            {view === 'audit' && (
              <div className="screen">
                <AuditPage />
              </div>
            )}
            {view === 'admin' && (
              <div className="screen">
                <AdminPage />
              </div>
            )}
            {view === 'access' && (
              <div className="screen">
                <DatasetAccessPage />
              </div>
            )}
          </>
        )}
        {view === 'signin' && (
          <div className="screen">
            <SignInPage />
          </div>
        )}
      </main>
      {toastText && <div className="toast" role="status">{toastText}</div>}
    </div>
  );
}
