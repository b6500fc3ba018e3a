import { useEffect, useRef, useState } from 'react';
import { api } from '../app/api.ts';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { fmtTime } from './format.ts';
import type { Notification } from './types.ts';

/** How often the bell asks for new notifications while the page is open. */
const POLL_MS = 30_000;

/**
 * Where a notification leads: a sharing request opens the sharing page on the right tab (incoming
 * for a steward asked for data, outgoing for the person who asked), an app link (`#…`) is followed.
 */
export function followLink(n: Notification): void {
  const link = n.link ?? '';
  const req = /share-requests?[/=]([\w-]+)/.exec(link)?.[1] ?? /[?&#]request=([\w-]+)/.exec(link)?.[1];
  if (req || n.kind.startsWith('share')) {
    const incoming = /incoming/.test(link) || /(^|\.)(request|requested|new|withdrawn)$/.test(n.kind);
    store.set({ view: 'sharing', sharingFocus: { tab: incoming ? 'incoming' : 'outgoing', ...(req ? { requestId: req } : {}) } });
    return;
  }
  if (link.startsWith('#')) window.location.hash = link;
}

/** The notifications bell of the header: the unread count (asked every 30 s and when the page gets focus) and the latest notifications. */
export function NotificationsBell() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<Notification[]>([]);
  const box = useRef<HTMLDivElement>(null);

  const refresh = () =>
    api<{ notifications: Notification[]; unread: number }>('/notifications')
      .then((r) => {
        setItems(r.notifications.slice(0, 30));
        setUnread(r.unread);
      })
      .catch(() => {});

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), POLL_MS);
    const focus = () => void refresh();
    window.addEventListener('focus', focus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', focus);
    };
  }, []);
  useEffect(() => {
    if (!open) return;
    void refresh();
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  const choose = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) await api(`/notifications/${encodeURIComponent(String(n.id))}/read`, { method: 'POST' }).catch(() => {});
    followLink(n);
    void refresh();
  };
  const readAll = async () => {
    await api('/notifications/read-all', { method: 'POST' }).catch(() => {});
    void refresh();
  };
  const text = (v: Notification['title']) => (typeof v === 'string' ? v : pick(lang, v));

  return (
    <div className="bell-wrap" ref={box}>
      <button type="button" className="header-button bell" data-testid="notifications-bell" aria-label={t('notify.title')} title={t('notify.title')} onClick={() => setOpen(!open)}>
        <svg className="bell-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" fill="currentColor" />
        </svg>
        {unread > 0 && (
          <span className="badge" data-testid="notifications-unread">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="dropdown notifications" data-testid="notifications-list">
          <div className="dropdown-head">
            <strong>{t('notify.title')}</strong>
            {unread > 0 && (
              <button type="button" className="link" onClick={() => void readAll()}>
                {t('notify.readAll')}
              </button>
            )}
          </div>
          {items.length === 0 ? (
            <p className="muted">{t('notify.none')}</p>
          ) : (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? '' : 'unread'}>
                  <button type="button" data-testid="notification" onClick={() => void choose(n)}>
                    <span className="n-title">{text(n.title)}</span>
                    {n.body && <span className="n-body">{text(n.body)}</span>}
                    <span className="muted small">{fmtTime(n.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
