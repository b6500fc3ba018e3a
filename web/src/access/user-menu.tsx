import { useEffect, useRef, useState } from 'react';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { deptName, useDepartments } from './departments.ts';
import { PasswordDialog } from './password-dialog.tsx';
import { goToSignIn, signOut } from './session.ts';
import { TokensDialog } from './tokens-dialog.tsx';
import { ROLE_TITLES } from './types.ts';
import { NotificationsBell } from './notifications-bell.tsx';

/**
 * The header's account corner: "Sign in" for the anonymous public; for a signed-in user the
 * notifications bell and a menu with their name, department and roles, change password (forced
 * when the account must change it), API tokens and sign out.
 */
export function UserMenu() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const session = useStore((s) => s.session);
  const departments = useDepartments();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'password' | 'tokens' | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  if (!session) return null;
  if (!session.authenticated) {
    return (
      <button type="button" className="header-button sign-in-button" data-testid="sign-in-button" onClick={() => goToSignIn()}>
        {t('auth.signIn')}
      </button>
    );
  }
  const u = session.user;
  const name = u.displayName || u.username;
  const dept = session.department ? pick(lang, session.department.name) : deptName(lang, departments, u.department);
  const roles = u.roles.map((r) => pick(lang, ROLE_TITLES[r])).join('、');
  const forced = u.mustChangePassword;
  return (
    <>
      <NotificationsBell />
      <div className="user-wrap" ref={box}>
        <button type="button" className="header-button user-button" data-testid="user-menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span className="avatar" aria-hidden="true">
            {[...name][0]?.toUpperCase()}
          </span>
          <span className="user-name">{name}</span>
        </button>
        {open && (
          <div className="dropdown user-dropdown" role="menu">
            <div className="user-card">
              <strong data-testid="user-name">{name}</strong>
              <span className="muted small">{u.username}</span>
              {dept && <span className="small">{dept}</span>}
              <span className="small muted" data-testid="user-roles">
                {roles || t('auth.noRoles')}
              </span>
            </div>
            <button type="button" role="menuitem" onClick={() => (setOpen(false), setDialog('password'))}>
              {t('auth.changePassword')}
            </button>
            <button type="button" role="menuitem" onClick={() => (setOpen(false), setDialog('tokens'))}>
              {t('tokens.title')}
            </button>
            <button type="button" role="menuitem" data-testid="sign-out" onClick={() => (setOpen(false), void signOut().catch((e: Error) => store.set({ toast: e.message })))}>
              {t('auth.signOut')}
            </button>
          </div>
        )}
      </div>
      {(forced || dialog === 'password') && <PasswordDialog forced={forced} onClose={() => setDialog(null)} />}
      {dialog === 'tokens' && <TokensDialog onClose={() => setDialog(null)} />}
    </>
  );
}
