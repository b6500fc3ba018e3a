import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { deptName } from '../access/departments.ts';
import { fmtTime } from '../access/format.ts';
import { Pager } from '../access/pager.tsx';
import { ROLES, ROLE_TITLES, type Department, type User } from '../access/types.ts';
import { UserForm } from './user-form.tsx';

const PAGE = 50;

/** Administration of users: search by name, filter by department and role, create, edit. */
export function UsersAdmin({ departments }: { departments: Department[] }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [q, setQ] = useState('');
  const [dept, setDept] = useState('');
  const [role, setRole] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ users: User[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => setOffset(0), [q, dept, role]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api<{ users: User[]; total: number }>(`/users${qs({ q: q.trim(), department: dept, role, limit: PAGE, offset })}`)
        .then((r) => live && (setPage(r), setError(null)))
        .catch((e: Error) => live && setError(e.message));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, dept, role, offset, tick]);

  return (
    <section className="admin-section" data-testid="users-admin">
      <div className="toolbar-row">
        <input type="search" placeholder={t('admin.searchUsers')} aria-label={t('admin.searchUsers')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="users-search" />
        <select value={dept} onChange={(e) => setDept(e.target.value)} aria-label={t('admin.department')}>
          <option value="">{t('catalog.allDepartments')}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {pick(lang, d.name)}
            </option>
          ))}
        </select>
        <select value={role} onChange={(e) => setRole(e.target.value)} aria-label={t('admin.roles')}>
          <option value="">{t('admin.allRoles')}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {pick(lang, ROLE_TITLES[r])}
            </option>
          ))}
        </select>
        <span className="grow" />
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="user-new">
          {t('admin.newUser')}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <div className="table-scroll">
        <table className="grid data-table">
          <thead>
            <tr>
              <th>{t('admin.username')}</th>
              <th>{t('admin.displayName')}</th>
              <th>{t('admin.department')}</th>
              <th>{t('admin.roles')}</th>
              <th>{t('admin.regionScope')}</th>
              <th>{t('access.status')}</th>
              <th>{t('admin.lastSignIn')}</th>
            </tr>
          </thead>
          <tbody>
            {page?.users.map((u) => (
              <tr key={u.id} onClick={() => setEditing(u)} data-testid={`user-row-${u.username}`}>
                <td>
                  <button type="button" className="link">
                    {u.username}
                  </button>
                </td>
                <td>{u.displayName}</td>
                <td>{deptName(lang, departments, u.department)}</td>
                <td>{u.roles.map((r) => pick(lang, ROLE_TITLES[r])).join('、')}</td>
                <td>{u.regionCodes.join(', ')}</td>
                <td>
                  {u.disabled ? (
                    <span className="pill bad">{t('admin.disabled')}</span>
                  ) : u.lockedUntil && u.lockedUntil > new Date().toISOString() ? (
                    <span className="pill warn">{t('admin.locked')}</span>
                  ) : u.mustChangePassword ? (
                    <span className="pill">{t('admin.mustChange')}</span>
                  ) : (
                    <span className="pill good">{t('admin.enabled')}</span>
                  )}
                </td>
                <td>{fmtTime(u.lastSignInAt) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.users.length === 0 && <p className="muted pad">{t('admin.noUsers')}</p>}
      </div>
      {page && <Pager offset={offset} limit={PAGE} total={page.total} onChange={setOffset} />}
      {editing && (
        <UserForm
          user={editing === 'new' ? null : editing}
          departments={departments}
          onDone={(changed) => {
            setEditing(null);
            if (changed) setTick((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
