import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import { pick, type Lang } from '../i18n/i18n.ts';
import { departmentName as demoDepartmentName } from '../hub/departments.ts';
import type { Department } from './types.ts';

let cached: Promise<Department[]> | null = null;
const listeners = new Set<(d: Department[]) => void>();

/** The departments (`GET /departments`), read once and shared; `reload` after an administrator changed them. */
export function loadDepartments(reload = false): Promise<Department[]> {
  if (!cached || reload) {
    cached = api<{ departments: Department[] }>('/departments')
      .then((r) => r.departments)
      .catch(() => {
        cached = null;
        return [];
      });
    void cached.then((d) => listeners.forEach((l) => l(d)));
  }
  return cached;
}

/** The departments, re-rendering when they are read again. */
export function useDepartments(): Department[] {
  const [list, setList] = useState<Department[]>([]);
  useEffect(() => {
    let live = true;
    void loadDepartments().then((d) => live && setList(d));
    const l = (d: Department[]) => live && setList(d);
    listeners.add(l);
    return () => {
      live = false;
      listeners.delete(l);
    };
  }, []);
  return list;
}

/** A department's name in `lang` from the list, else the demo county's name, else its id. */
export function deptName(lang: Lang, list: Department[], id: string | null | undefined): string {
  if (!id) return '';
  const d = list.find((x) => x.id === id);
  return d ? pick(lang, d.name) : demoDepartmentName(lang, id);
}
