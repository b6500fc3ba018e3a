import { store, useStore } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { hasRole, isAdministrator } from '../access/types.ts';
import { IncomingRequests } from './incoming-requests.tsx';
import { OutgoingRequests } from './outgoing-requests.tsx';
import { SharingCatalog } from './sharing-catalog.tsx';

/** Data sharing between departments: the catalog of data one may ask for, my requests, and (for stewards) requests to decide. */
export function SharingPage() {
  const t = useT();
  const session = useStore((s) => s.session);
  const focus = useStore((s) => s.sharingFocus);
  if (!session?.authenticated) return <p className="panel page-message">{t('access.signInFirst')}</p>;
  const decides = hasRole(session, 'data_steward') || isAdministrator(session);
  const tab = focus?.tab === 'incoming' && !decides ? 'outgoing' : (focus?.tab ?? 'catalog');
  const go = (k: 'catalog' | 'outgoing' | 'incoming') => store.set({ sharingFocus: { tab: k } });
  const tabBtn = (k: 'catalog' | 'outgoing' | 'incoming', label: string) => (
    <button type="button" className={`subtab ${tab === k ? 'active' : ''}`} onClick={() => go(k)} data-testid={`sharing-tab-${k}`}>
      {label}
    </button>
  );
  return (
    <div className="page" data-testid="sharing-page">
      <div className="panel page-panel">
        <div className="panel-head">
          <h2>{t('sharing.title')}</h2>
          <nav className="subtabs">
            {tabBtn('catalog', t('sharing.catalog'))}
            {tabBtn('outgoing', t('sharing.outgoing'))}
            {decides && tabBtn('incoming', t('sharing.incoming'))}
          </nav>
        </div>
        {tab === 'catalog' && <SharingCatalog />}
        {tab === 'outgoing' && <OutgoingRequests focus={focus?.requestId} />}
        {tab === 'incoming' && <IncomingRequests focus={focus?.requestId} />}
      </div>
    </div>
  );
}
