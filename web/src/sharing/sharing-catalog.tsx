import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { refreshCatalog } from '../app/boot.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { deptName, useDepartments } from '../access/departments.ts';
import type { SharingEntry } from '../access/types.ts';
import { RequestForm } from './request-form.tsx';

/** The sharing catalog: other departments' confidential datasets that may be asked for, and those granted to the caller. */
export function SharingCatalog() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [q, setQ] = useState('');
  const [list, setList] = useState<SharingEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<SharingEntry | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api<{ datasets: SharingEntry[] }>(`/sharing/catalog${qs({ q: q.trim() })}`)
        .then((r) => live && (setList(r.datasets), setError(null)))
        .catch((e: Error) => live && setError(e.message));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, tick]);

  const openOnMap = async (id: string) => {
    await refreshCatalog();
    showLayer(id);
    store.set({ view: 'map' });
  };

  return (
    <section className="sharing-section" data-testid="sharing-catalog">
      <div className="toolbar-row">
        <input type="search" placeholder={t('sharing.search')} aria-label={t('sharing.search')} value={q} onChange={(e) => setQ(e.target.value)} />
        <span className="muted small">{t('sharing.catalogAbout')}</span>
      </div>
      {error && <p className="error">{error}</p>}
      {list && list.length === 0 && <p className="muted pad">{t('sharing.catalogEmpty')}</p>}
      <ul className="cards">
        {list?.map((d) => (
          <li key={d.id} className="card" data-testid={`sharing-entry-${d.id}`}>
            <div className="card-head">
              <strong>{pick(lang, d.title)}</strong>
              <span className={`pill ${d.access === 'requestable' ? '' : 'good'}`}>{t(`sharing.access.${d.access}`)}</span>
            </div>
            <p className="muted small">
              {deptName(lang, departments, d.department)} · {t(`theme.${d.theme as 'current'}`)} · {d.geometryType ?? t('sharing.table')} · {t(`class.${d.classification as 'confidential'}`)}
            </p>
            <p className="small clamp">{pick(lang, d.description)}</p>
            <div className="card-actions">
              {d.access === 'requestable' && !d.pendingRequestId && (
                <button type="button" className="primary" onClick={() => setAsking(d)} data-testid={`ask-${d.id}`}>
                  {t('sharing.ask')}
                </button>
              )}
              {d.pendingRequestId && (
                <button type="button" className="link" onClick={() => store.set({ sharingFocus: { tab: 'outgoing', requestId: d.pendingRequestId! } })}>
                  {t('sharing.pendingSee')}
                </button>
              )}
              {d.access !== 'requestable' && d.geometryType && (
                <button type="button" onClick={() => void openOnMap(d.id)}>
                  {t('catalog.addToMap')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {asking && (
        <RequestForm
          entry={asking}
          onDone={(r) => {
            setAsking(null);
            if (r) setTick((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
