import { fmtNumber, useT } from '../i18n/i18n.ts';
import { useStore } from '../app/store.ts';

/** Previous / next paging of a list of `total` rows shown `limit` at a time from `offset`. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const pages = Math.max(1, Math.ceil(total / limit));
  const p = Math.floor(offset / limit) + 1;
  return (
    <div className="pager" data-testid="pager">
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('table.prev')}
      </button>
      <span>{t('table.page', { p, n: pages })}</span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('table.next')}
      </button>
      <span className="muted">{t('access.rows', { n: fmtNumber(lang, total) })}</span>
    </div>
  );
}
