import { DEPARTMENTS } from '../../../server/demo/departments.ts';
import type { Lang } from '../i18n/i18n.ts';

/** A department's name (the demo county's bureaus; other ids are shown as they are). */
export function departmentName(lang: Lang, id: string | null): string {
  if (!id) return '';
  const d = DEPARTMENTS.find((x) => x.id === id);
  return d ? (lang === 'zh' ? d.nameZh : d.nameEn) : id;
}
