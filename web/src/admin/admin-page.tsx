import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { loadDepartments, useDepartments } from '../access/departments.ts';
import { isAdministrator, ROLE_TITLES, type Role } from '../access/types.ts';
import { DepartmentsAdmin } from './departments-admin.tsx';
import { UsersAdmin } from './users-admin.tsx';

/** What each role may do, for the read-only roles list. */
const ROLE_NOTES: Record<Role, 'admin.role.administrator' | 'admin.role.data_steward' | 'admin.role.analyst' | 'admin.role.supervisor' | 'admin.role.case_handler' | 'admin.role.grid_worker' | 'admin.role.leader'> = {
  administrator: 'admin.role.administrator',
  data_steward: 'admin.role.data_steward',
  analyst: 'admin.role.analyst',
  supervisor: 'admin.role.supervisor',
  case_handler: 'admin.role.case_handler',
  grid_worker: 'admin.role.grid_worker',
  leader: 'admin.role.leader',
};

/** The roles (`GET /roles`) with their titles and what they may do; read-only. */
function RolesList() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [roles, setRoles] = useState<Array<{ id: Role; title: { zh: string; en: string } }>>([]);
  useEffect(() => {
    api<{ roles: Array<{ id: Role; title: { zh: string; en: string } }> }>('/roles')
      .then((r) => setRoles(r.roles))
      .catch(() => setRoles((Object.keys(ROLE_TITLES) as Role[]).map((id) => ({ id, title: ROLE_TITLES[id] }))));
  }, []);
  return (
    <section className="admin-section" data-testid="roles-list">
      <p className="muted">{t('admin.rolesAbout')}</p>
      <table className="grid data-table">
        <thead>
          <tr>
            <th>{t('admin.role')}</th>
            <th>{t('admin.roleId')}</th>
            <th>{t('admin.roleMay')}</th>
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.id}>
              <td>{pick(lang, r.title)}</td>
              <td className="muted">{r.id}</td>
              <td className="wrap">{ROLE_NOTES[r.id] ? t(ROLE_NOTES[r.id]) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Administration (administrators only): users, departments, roles. */
export function AdminPage() {
  const t = useT();
  const session = useStore((s) => s.session);
  const departments = useDepartments();
  const [tab, setTab] = useState<'users' | 'departments' | 'roles'>('users');
  if (!isAdministrator(session)) return <p className="panel page-message">{t('access.adminOnly')}</p>;
  const tabBtn = (k: typeof tab, label: string) => (
    <button type="button" className={`subtab ${tab === k ? 'active' : ''}`} onClick={() => setTab(k)} data-testid={`admin-tab-${k}`}>
      {label}
    </button>
  );
  return (
    <div className="page" data-testid="admin-page">
      <div className="panel page-panel">
        <div className="panel-head">
          <h2>{t('admin.title')}</h2>
          <nav className="subtabs">
            {tabBtn('users', t('admin.users'))}
            {tabBtn('departments', t('admin.departments'))}
            {tabBtn('roles', t('admin.rolesTab'))}
          </nav>
        </div>
        {tab === 'users' && <UsersAdmin departments={departments} />}
        {tab === 'departments' && <DepartmentsAdmin departments={departments} onChanged={() => void loadDepartments(true)} />}
        {tab === 'roles' && <RolesList />}
      </div>
    </div>
  );
}
