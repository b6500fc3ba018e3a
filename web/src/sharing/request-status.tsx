import { pick, useT, type Lang } from '../i18n/i18n.ts';
import { daysUntil, fmtDate } from '../access/format.ts';
import type { Grant, ShareRequest } from '../access/types.ts';

/** A request's dataset title in `lang`. */
export function requestTitle(lang: Lang, r: ShareRequest): string {
  return typeof r.datasetTitle === 'string' ? r.datasetTitle : pick(lang, r.datasetTitle) || r.datasetId;
}

/** Who decided a request. */
export function deciderName(r: ShareRequest): string {
  const d = r.decidedBy;
  if (!d) return '';
  return typeof d === 'string' ? d : d.displayName || d.username;
}

/** A request's status as a coloured pill. */
export function StatusPill({ status }: { status: string }) {
  const t = useT();
  const known = ['pending', 'approved', 'refused', 'withdrawn', 'expired', 'revoked'].includes(status);
  const tone = status === 'approved' ? 'good' : status === 'refused' || status === 'revoked' ? 'bad' : status === 'pending' ? 'warn' : '';
  return (
    <span className={`pill ${tone}`} data-testid="request-status" data-status={status}>
      {known ? t(`sharing.status.${status as 'pending'}`) : status}
    </span>
  );
}

/** A grant's state and expiry: "active until 2026-12-01 (30 days left)", expired, or revoked. */
export function GrantExpiry({ grant }: { grant: Grant | null }) {
  const t = useT();
  if (!grant) return <span className="muted">—</span>;
  if (grant.status === 'revoked' || grant.revokedAt) return <span className="pill bad">{t('grants.revokedOn', { d: fmtDate(grant.revokedAt) })}</span>;
  const left = daysUntil(grant.expiresAt);
  if (grant.status === 'expired' || left <= 0) return <span className="pill">{t('grants.expiredOn', { d: fmtDate(grant.expiresAt) })}</span>;
  return (
    <span className="pill good" data-testid="grant-expiry">
      {t('grants.activeUntil', { d: fmtDate(grant.expiresAt), n: left })}
    </span>
  );
}
