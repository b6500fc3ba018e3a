/** A timestamp as `YYYY-MM-DD HH:mm` in the browser's time zone (empty for none). */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A date as `YYYY-MM-DD` in the browser's time zone. */
export function fmtDate(iso: string | null | undefined): string {
  return fmtTime(iso).slice(0, 10);
}

/** Whole days from now until `iso` (negative when past). */
export function daysUntil(iso: string): number {
  return Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
}
