import { useState, type FormEvent } from 'react';
import { api } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { Modal } from '../access/modal.tsx';
import type { Department } from '../access/types.ts';
import { parseCodes } from './user-form.tsx';

const KINDS: Department['kind'][] = ['county', 'bureau', 'town'];

/** Creates or edits a department: id (new only), names, kind, jurisdiction regions, case categories. */
function DepartmentForm({ dept, onDone }: { dept: Department | null; onDone: (changed: boolean) => void }) {
  const t = useT();
  const [id, setId] = useState(dept?.id ?? '');
  const [zh, setZh] = useState(dept?.name.zh ?? '');
  const [en, setEn] = useState(dept?.name.en ?? '');
  const [kind, setKind] = useState<Department['kind']>(dept?.kind ?? 'bureau');
  const [regions, setRegions] = useState((dept?.regionCodes ?? []).join(', '));
  const [cats, setCats] = useState((dept?.caseCategories ?? []).join(', '));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { name: { zh: zh.trim(), en: en.trim() }, kind, regionCodes: parseCodes(regions), caseCategories: parseCodes(cats) };
    try {
      if (dept) await api(`/departments/${encodeURIComponent(dept.id)}`, { method: 'PATCH', json: body });
      else await api('/departments', { method: 'POST', json: { id: id.trim(), ...body } });
      onDone(true);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={dept ? t('admin.editDepartment') : t('admin.newDepartment')} onClose={() => onDone(false)} testId="department-form" wide>
      <form className="form-grid two" onSubmit={(e) => void submit(e)}>
        <label>
          {t('admin.departmentId')}
          <input value={id} disabled={!!dept} placeholder="natural-resources-planning" onChange={(e) => setId(e.target.value.toLowerCase())} data-testid="department-id" />
        </label>
        <label>
          {t('admin.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as Department['kind'])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`admin.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.nameZh')}
          <input value={zh} onChange={(e) => setZh(e.target.value)} data-testid="department-name-zh" />
        </label>
        <label>
          {t('admin.nameEn')}
          <input value={en} onChange={(e) => setEn(e.target.value)} data-testid="department-name-en" />
        </label>
        <label className="span2">
          {t('admin.jurisdiction')}
          <input value={regions} placeholder={t('admin.regionHint')} onChange={(e) => setRegions(e.target.value)} />
        </label>
        <label className="span2">
          {t('admin.caseCategories')}
          <input value={cats} placeholder={t('admin.categoriesHint')} onChange={(e) => setCats(e.target.value)} />
        </label>
        {error && <p className="error span2">{error}</p>}
        <div className="form-actions span2">
          <button type="button" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !id.trim() || !zh.trim()} data-testid="department-save">
            {dept ? t('admin.save') : t('admin.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Administration of departments: the list with kind, jurisdiction and case categories; create and edit. */
export function DepartmentsAdmin({ departments, onChanged }: { departments: Department[]; onChanged: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const needle = q.trim().toLowerCase();
  const shown = departments.filter((d) => !needle || d.id.includes(needle) || d.name.zh.includes(q.trim()) || d.name.en.toLowerCase().includes(needle));
  return (
    <section className="admin-section" data-testid="departments-admin">
      <div className="toolbar-row">
        <input type="search" placeholder={t('admin.searchDepartments')} aria-label={t('admin.searchDepartments')} value={q} onChange={(e) => setQ(e.target.value)} />
        <span className="muted">{t('admin.departmentCount', { n: departments.length })}</span>
        <span className="grow" />
        <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="department-new">
          {t('admin.newDepartment')}
        </button>
      </div>
      <div className="table-scroll">
        <table className="grid data-table">
          <thead>
            <tr>
              <th>{t('admin.departmentName')}</th>
              <th>{t('admin.departmentId')}</th>
              <th>{t('admin.kind')}</th>
              <th>{t('admin.jurisdiction')}</th>
              <th>{t('admin.caseCategories')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id} onClick={() => setEditing(d)} data-testid={`department-row-${d.id}`}>
                <td>
                  <button type="button" className="link">
                    {pick(lang, d.name)}
                  </button>
                </td>
                <td className="muted">{d.id}</td>
                <td>{t(`admin.kind.${d.kind}`)}</td>
                <td>{d.regionCodes.join(', ') || '—'}</td>
                <td>{d.caseCategories.join('、') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <DepartmentForm
          dept={editing === 'new' ? null : editing}
          onDone={(changed) => {
            setEditing(null);
            if (changed) onChanged();
          }}
        />
      )}
    </section>
  );
}
