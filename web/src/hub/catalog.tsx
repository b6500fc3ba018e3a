import { useEffect, useMemo, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { THEMES, type Dataset } from '../app/api-types.ts';
import { store, useStore } from '../app/store.ts';
import { fmtNumber, pick, useT } from '../i18n/i18n.ts';
import { THEME_COLOURS } from '../map/dataset-style.ts';
import { DatasetDetail } from './dataset-detail.tsx';
import { departmentName } from './departments.ts';
import { BarList } from './theme-chart.tsx';

/** The data catalog: search by text, theme and department; a dataset's metadata, preview and exports. */
export function Catalog() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const all = useStore((s) => s.datasets);
  const pickId = useStore((s) => s.catalogPick);
  const [q, setQ] = useState('');
  const [theme, setTheme] = useState('');
  const [dept, setDept] = useState('');
  const [found, setFound] = useState<Dataset[] | null>(null);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api<{ datasets: Dataset[] }>(`/datasets${qs({ q: q.trim() || undefined, theme: theme || undefined, department: dept || undefined, limit: 1000 })}`)
        .then((r) => live && setFound(r.datasets))
        .catch((e: Error) => store.set({ toast: e.message }));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, theme, dept, all]);

  const departments = useMemo(() => [...new Set(all.map((d) => d.department).filter((d): d is string => !!d))].sort(), [all]);
  const counts = THEMES.map((th) => all.filter((d) => d.theme === th && d.kind === 'features').reduce((n, d) => n + d.featureCount, 0));
  const list = found ?? [];
  const picked = list.find((d) => d.id === pickId) ?? all.find((d) => d.id === pickId);
  return (
    <div className="catalog" data-testid="catalog">
      <aside className="catalog-list panel">
        <div className="panel-head">
          <h2>{t('catalog.title')}</h2>
          <span className="muted">{t('catalog.total', { n: list.length })}</span>
        </div>
        <input type="search" className="filter" data-testid="catalog-search" placeholder={t('catalog.search')} value={q} onChange={(e) => setQ(e.target.value)} />
        <div className="filters">
          <select value={theme} onChange={(e) => setTheme(e.target.value)} aria-label={t('catalog.theme')}>
            <option value="">{t('catalog.allThemes')}</option>
            {THEMES.map((th) => (
              <option key={th} value={th}>
                {t(`theme.${th}`)}
              </option>
            ))}
          </select>
          <select value={dept} onChange={(e) => setDept(e.target.value)} aria-label={t('catalog.department')}>
            <option value="">{t('catalog.allDepartments')}</option>
            {departments.map((d) => (
              <option key={d} value={d}>
                {departmentName(lang, d)}
              </option>
            ))}
          </select>
        </div>
        <ul className="datasets">
          {list.map((d) => (
            <li key={d.id}>
              <button type="button" className={d.id === pickId ? 'active' : ''} data-testid={`catalog-item-${d.id}`} onClick={() => store.set({ catalogPick: d.id })}>
                <span className="theme-dot" style={{ background: THEME_COLOURS[d.theme] }} />
                <span className="ds-title">{pick(lang, d.title)}</span>
                <span className="muted small">
                  {t(`theme.${d.theme}`)} · {departmentName(lang, d.department)} · {d.kind === 'statistics' ? '' : fmtNumber(lang, d.featureCount)}
                  {d.classification !== 'public' && <span className={`pill class-pill ${d.classification}`}>{t(`class.${d.classification}`)}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="catalog-detail">
        {picked ? (
          <DatasetDetail ds={picked} />
        ) : (
          <div className="panel empty-detail">
            <p className="muted">{t('catalog.select')}</p>
            <h3>{t('catalog.chart')}</h3>
            <BarList labels={THEMES.map((th) => t(`theme.${th}`))} values={counts} colours={THEMES.map((th) => THEME_COLOURS[th])} testId="theme-chart" />
          </div>
        )}
      </section>
    </div>
  );
}
