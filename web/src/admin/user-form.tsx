import { useState, type FormEvent } from 'react';
import { api } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { Modal, OnceSecret } from '../access/modal.tsx';
import { ROLES, ROLE_TITLES, type Department, type Role, type User } from '../access/types.ts';

/** Region codes typed as a list (commas, spaces or the Chinese comma). */
export function parseCodes(s: string): string[] {
  return s
    .split(/[\s,，、;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Role check boxes with their titles. */
export function RolePicker({ value, onChange }: { value: Role[]; onChange: (r: Role[]) => void }) {
  const lang = useStore((s) => s.lang);
  return (
    <div className="role-picker">
      {ROLES.map((r) => (
        <label key={r} className="check">
          <input type="checkbox" checked={value.includes(r)} data-testid={`role-${r}`} onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))} />
          {pick(lang, ROLE_TITLES[r])}
        </label>
      ))}
    </div>
  );
}

/**
 * Creates a user (the one-time password the server generates is shown once) or edits one: display
 * name, contact, department, roles, region scope, disabled; resets the password or ends the sessions.
 */
export function UserForm({ user, departments, onDone }: { user: User | null; departments: Department[]; onDone: (changed: boolean) => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [phone, setPhone] = useState(user?.phone ?? '');
  const [department, setDepartment] = useState(user?.department ?? '');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? ['analyst']);
  const [regions, setRegions] = useState((user?.regionCodes ?? []).join(', '));
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setChanged(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const body = { displayName, email, phone, department: department || null, roles, regionCodes: parseCodes(regions) };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (user) {
        await api(`/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', json: { ...body, disabled } });
        onDone(true);
      } else {
        const r = await api<{ user: User; password?: string }>('/users', { method: 'POST', json: { username: username.trim(), ...body } });
        if (r.password) setSecret(r.password);
        else onDone(true);
      }
    });
  };
  const reset = () =>
    window.confirm(t('admin.resetConfirm', { name: user!.username })) &&
    void run(async () => setSecret((await api<{ password: string }>(`/users/${encodeURIComponent(user!.id)}/password`, { method: 'POST' })).password));
  const endSessions = () => void run(async () => api(`/users/${encodeURIComponent(user!.id)}/sessions`, { method: 'DELETE' }));

  return (
    <Modal title={user ? t('admin.editUser', { name: user.username }) : t('admin.newUser')} onClose={() => onDone(changed)} testId="user-form" wide>
      {secret ? (
        <div className="form-stack">
          <OnceSecret label={t('admin.oneTimePassword', { name: user?.username ?? username })} value={secret} testId="one-time-password" />
          <div className="form-actions">
            <button type="button" className="primary" onClick={() => onDone(true)}>
              {t('common.ok')}
            </button>
          </div>
        </div>
      ) : (
        <form className="form-grid two" onSubmit={submit}>
          <label>
            {t('admin.username')}
            <input value={username} disabled={!!user} required onChange={(e) => setUsername(e.target.value.toLowerCase())} data-testid="user-username" />
          </label>
          <label>
            {t('admin.displayName')}
            <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} data-testid="user-display-name" />
          </label>
          <label>
            {t('admin.email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            {t('admin.phone')}
            <input value={phone} onChange={(e) => setPhone(e.target.value)} />
          </label>
          <label>
            {t('admin.department')}
            <select value={department} onChange={(e) => setDepartment(e.target.value)} data-testid="user-department">
              <option value="">{t('admin.noDepartment')}</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {pick(lang, d.name)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.regionScope')}
            <input value={regions} placeholder={t('admin.regionHint')} onChange={(e) => setRegions(e.target.value)} />
          </label>
          <fieldset className="span2">
            <legend>{t('admin.roles')}</legend>
            <RolePicker value={roles} onChange={setRoles} />
          </fieldset>
          {user && (
            <label className="check span2">
              <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} data-testid="user-disabled" />
              {t('admin.disabledLong')}
            </label>
          )}
          {!user && <p className="muted small span2">{t('admin.passwordGenerated')}</p>}
          {error && <p className="error span2">{error}</p>}
          <div className="form-actions span2">
            {user && (
              <>
                <button type="button" onClick={reset} disabled={busy} data-testid="user-reset-password">
                  {t('admin.resetPassword')}
                </button>
                <button type="button" onClick={endSessions} disabled={busy}>
                  {t('admin.endSessions')}
                </button>
                <span className="grow" />
              </>
            )}
            <button type="button" onClick={() => onDone(changed)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy || !username.trim()} data-testid="user-save">
              {user ? t('admin.save') : t('admin.create')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
