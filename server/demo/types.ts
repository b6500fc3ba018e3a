/**
 * The shape of the demo county: regions, layers (datasets), statistical tables and departments.
 * Re-exported by `build-demo-county.ts`.
 */
import type { Geometry, MultiPolygon, Polygon } from 'geojson';

/** Bilingual text. */
export interface I18nText {
  zh: string;
  en: string;
}

/** A region of the admin hierarchy county > town/subdistrict > village/community > grid. */
export interface DemoRegion {
  /** 6 digits (county), 9 (town), 12 (village) or 15 (grid: village code + 3-digit sequence). */
  code: string;
  /** The 12-digit statistical code (a grid has its village's). */
  statCode: string;
  level: 'county' | 'town' | 'village' | 'grid';
  /** Code of the parent region; null for the county. */
  parentCode: string | null;
  nameZh: string;
  /** Pinyin place name with an English kind, e.g. "Wukang Subdistrict". */
  nameEn: string;
  kind: 'county' | 'town' | 'subdistrict' | 'village' | 'community' | 'grid';
  /** WGS84 lon/lat. */
  geometry: Polygon | MultiPolygon;
  /** Resident population (synthetic, from the population model). */
  population?: number;
}

/** A column of a layer. */
export interface DemoField {
  name: string;
  title: I18nText;
  type: 'integer' | 'number' | 'text' | 'boolean' | 'date' | 'timestamp' | 'json';
  unit?: string;
}

/** One feature (or row, for a table without geometry) of a layer. */
export interface DemoFeature {
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

/** A dataset of the demo county, with its catalogue metadata and a lazy feature generator. */
export interface DemoLayer {
  /** Dataset id: ^[a-z][a-z0-9_]{0,62}$. */
  id: string;
  title: I18nText;
  description: I18nText;
  /** 现状 current, 规划 planning, 管理 management, 社会经济 socioeconomic, 感知 sensing. */
  theme: 'current' | 'planning' | 'management' | 'socioeconomic' | 'sensing';
  /** Id of the owning department (see {@link DemoDepartment}). */
  department: string;
  keywords: string[];
  classification: 'public' | 'internal' | 'confidential';
  /** A confidential layer listed in the sharing catalog (default true); false: unlisted. */
  shareable?: boolean;
  updateFrequency: 'once' | 'daily' | 'monthly' | 'quarterly' | 'yearly' | 'realtime';
  source: string;
  licence: string;
  synthetic: boolean;
  /** null: a table without geometry. */
  geometryType: 'Point' | 'LineString' | 'Polygon' | 'MultiPolygon' | 'MultiLineString' | null;
  fields: DemoField[];
  /** Generates the features afresh on every call (deterministic), WGS84 lon/lat. */
  features(): Iterable<DemoFeature>;
}

/** A statistical table keyed by region code and period. */
export interface DemoStatTable {
  id: string;
  title: I18nText;
  department: string;
  periodType: 'year' | 'month';
  columns: { name: string; title: I18nText; unit?: string }[];
  /** period: "2023" or "2023-01". */
  rows: Array<{ region_code: string; period: string } & Record<string, number>>;
}

/** A department of the county government. */
export interface DemoDepartment {
  /** kebab-case id, e.g. "natural-resources-planning", "town-wukang". */
  id: string;
  nameZh: string;
  nameEn: string;
  /** The county government's office, a county bureau, or a town/subdistrict office. */
  kind: 'county' | 'bureau' | 'town';
  /** Jurisdiction: region codes (a town office: its town); empty = the whole county. */
  regionCodes: string[];
  /** Codes of the case categories it handles (server/demo/case-categories.ts). */
  caseCategories: string[];
}

/** The whole demo county. */
export interface DemoCounty {
  seed: number;
  scale: number;
  regions: DemoRegion[];
  layers: DemoLayer[];
  statistics: DemoStatTable[];
  departments: DemoDepartment[];
}
