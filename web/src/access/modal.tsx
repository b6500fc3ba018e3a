import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useT } from '../i18n/i18n.ts';

/**
 * A dialog over the app: a title, its content, and a close button unless `onClose` is omitted (a
 * dialog that must be completed, such as a forced password change). Escape closes it too.
 */
export function Modal({ title, onClose, children, testId, wide }: { title: string; onClose?: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const t = useT();
  useEffect(() => {
    if (!onClose) return;
    const key = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);
  // On the document's body: a dialog opened from the header does not take on the header's colours.
  return createPortal(
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
      <div className={`modal panel ${wide ? 'wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <div className="panel-head">
          <h2>{title}</h2>
          {onClose && (
            <button type="button" className="icon" aria-label={t('common.close')} onClick={onClose}>
              ✕
            </button>
          )}
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

/** A secret shown once (a one-time password, a new API token), with a copy button and the warning that it will not be shown again. */
export function OnceSecret({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const t = useT();
  return (
    <div className="once-secret">
      <p className="small">{label}</p>
      <div className="share-row">
        <input readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value).catch(() => {})}>
          {t('access.copy')}
        </button>
      </div>
      <p className="muted small">{t('access.shownOnce')}</p>
    </div>
  );
}
