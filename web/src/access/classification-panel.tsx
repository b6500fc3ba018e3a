import { useState } from 'react';
import { api } from '../app/api.ts';
import type { Dataset } from '../app/api-types.ts';
import { toast, useStore } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { accessChange, CLASSES, type Classification } from './classification.ts';
import { deptName, useDepartments } from './departments.ts';
import { Modal } from './modal.tsx';

/** A dataset's classification and whether other departments may ask for it; stewards and administrators change them. */
export function ClassificationPanel({ ds, canWrite, grants, onChanged }: { ds: Dataset; canWrite: boolean; grants: number; onChanged: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [next, setNext] = useState<Classification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dept = deptName(lang, departments, ds.department) || t('access.noDepartment');

  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/datasets/${encodeURIComponent(ds.id)}`, { method: 'PATCH', json: body });
      toast(t('access.saved'));
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      setNext(null);
    }
  };
  const change = next ? accessChange(ds.classification, next) : null;
  return (
    <div className="panel access-block" data-testid="classification-panel">
      <h3>{t('catalog.classification')}</h3>
      <div className="class-options" role="radiogroup" aria-label={t('catalog.classification')}>
        {CLASSES.map((c) => (
          <label key={c} className={`class-option ${ds.classification === c ? 'on' : ''}`}>
            <input type="radio" name="classification" value={c} checked={ds.classification === c} disabled={!canWrite || busy} onChange={() => setNext(c)} data-testid={`class-${c}`} />
            <span>
              <strong>{t(`class.${c}`)}</strong>
              <span className="muted small">{t(`class.${c}.who`, { dept })}</span>
            </span>
          </label>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={ds.shareable} disabled={!canWrite || busy} onChange={(e) => void patch({ shareable: e.target.checked })} data-testid="shareable" />
        {t('access.shareable')}
      </label>
      <p className="muted small">{t('access.shareableAbout')}</p>
      {!canWrite && <p className="muted small">{t('access.stewardsOnly')}</p>}
      {error && <p className="error">{error}</p>}
      {next && change && (
        <Modal title={t('access.confirmClass', { from: t(`class.${ds.classification}`), to: t(`class.${next}`) })} onClose={() => setNext(null)} testId="classification-confirm">
          <div className="form-stack">
            {change.gain.map((k) => (
              <p key={k} className="gain">
                ＋ {t('access.willGain', { who: t(k, { dept }) })}
              </p>
            ))}
            {change.lose.map((k) => (
              <p key={k} className="lose">
                − {t('access.willLose', { who: t(k, { dept }) })}
              </p>
            ))}
            <p className="small">{t('access.keeps', { dept })}</p>
            {next === 'confidential' && grants > 0 && <p className="small">{t('access.grantsKeep', { n: grants })}</p>}
            {next !== 'confidential' && grants > 0 && <p className="small muted">{t('access.grantsMoot', { n: grants })}</p>}
            <p className="muted small">{t('access.audited')}</p>
            <div className="form-actions">
              <button type="button" onClick={() => setNext(null)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="primary" disabled={busy} onClick={() => void patch({ classification: next })} data-testid="classification-apply">
                {t('access.changeClass')}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </div>
  );
}
