/**
 * Small helpers to declare demo layers: field shorthands, the common metadata of synthetic
 * layers, and region-code properties.
 */
import type { DepartmentId } from './departments.ts';
import type { RegionNode } from './regions.ts';
import type { DemoField, DemoLayer } from './types.ts';

/** A field declaration. */
export function field(name: string, zh: string, en: string, type: DemoField['type'], unit?: string): DemoField {
  return unit === undefined ? { name, title: { zh, en }, type } : { name, title: { zh, en }, type, unit };
}

/** Licence of the synthetic layers. */
export const SYNTHETIC_LICENCE = 'CC0-1.0 (synthetic demo data)';
/** Source text of the synthetic layers. */
export const SYNTHETIC_SOURCE = 'Yitu demo generator (server/demo), seeded; plausible but not real';

/** A synthetic layer: fills in source, licence and `synthetic`. */
export function syntheticLayer(def: Omit<DemoLayer, 'source' | 'licence' | 'synthetic' | 'department'> & { department: DepartmentId; source?: string }): DemoLayer {
  return { ...def, source: def.source ?? SYNTHETIC_SOURCE, licence: SYNTHETIC_LICENCE, synthetic: true };
}

/** The region fields every located feature carries. */
export const REGION_FIELDS: DemoField[] = [
  field('village_code', '村（社区）代码', 'Village/community code', 'text'),
  field('town_code', '乡镇（街道）代码', 'Town/subdistrict code', 'text'),
];

/** Values of {@link REGION_FIELDS} for a village. */
export function regionProps(village: RegionNode | null): { village_code: string; town_code: string } {
  return { village_code: village?.code ?? '', town_code: village?.parent?.code ?? '' };
}

/** An ISO date (YYYY-MM-DD) from a year and a day of the year (0-based). */
export function isoDate(year: number, dayOfYear: number): string {
  const d = new Date(Date.UTC(year, 0, 1 + Math.max(0, Math.min(364, Math.floor(dayOfYear)))));
  return d.toISOString().slice(0, 10);
}

/** An ISO timestamp (UTC) from a year, day of year and seconds of the day. */
export function isoTimestamp(year: number, dayOfYear: number, seconds: number): string {
  const d = new Date(Date.UTC(year, 0, 1 + Math.floor(dayOfYear), 0, 0, Math.floor(seconds)));
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
