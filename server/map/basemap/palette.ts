/**
 * The colours of the offline basemap. The light theme follows the calm look of Chinese
 * government vector basemaps (Tianditu's 矢量底图): a pale warm ground, the county a shade lighter,
 * soft blue water, white streets with grey casings, muted yellow-orange trunk roads, violet-grey
 * dashed boundaries, dark grey labels with white halos. Everything stays low in saturation so that
 * the thematic layers drawn on top stand out.
 */

/** Road classes the style tells apart (the demo's `road_class` values); anything else draws as `rural`. */
export const ROAD_CLASSES = ['expressway', 'national', 'provincial', 'county', 'urban', 'rural'] as const;
/** A road class. */
export type RoadClass = (typeof ROAD_CLASSES)[number];

/** The basemap's themes. */
export const THEMES = ['light', 'dark'] as const;
/** A theme. */
export type BasemapTheme = (typeof THEMES)[number];

/** The colours of one theme. */
export interface Palette {
  /** Outside the county. */
  background: string;
  /** The county itself. */
  land: string;
  water: string;
  waterOutline: string;
  waterway: string;
  road: Record<RoadClass, { fill: string; casing: string }>;
  boundary: { county: string; town: string; village: string };
  /** Halo under the county boundary line. */
  boundaryHalo: string;
  label: { place: string; town: string; village: string; road: string; water: string; halo: string };
}

/** The light theme (default). */
export const LIGHT: Palette = {
  background: '#ebe9e4',
  land: '#f7f6f2',
  water: '#c5dcef',
  waterOutline: '#a9c8e4',
  waterway: '#b3d0eb',
  road: {
    expressway: { fill: '#f7d9a8', casing: '#d9b27c' },
    national: { fill: '#fbe7bd', casing: '#d7c08f' },
    provincial: { fill: '#fdf0d2', casing: '#d8c9a6' },
    county: { fill: '#ffffff', casing: '#d3cec4' },
    urban: { fill: '#ffffff', casing: '#d9d5cc' },
    rural: { fill: '#ffffff', casing: '#dedad2' },
  },
  boundary: { county: '#9d8fab', town: '#b4a9c0', village: '#cdc5d4' },
  boundaryHalo: 'rgba(234, 226, 240, 0.8)',
  label: { place: '#333333', town: '#4d4d4d', village: '#6b6b6b', road: '#6e6a63', water: '#4f7fae', halo: '#ffffff' },
};

/** The dark theme (`?theme=dark`), for control rooms and night use. */
export const DARK: Palette = {
  background: '#16191d',
  land: '#1f2328',
  water: '#1d3449',
  waterOutline: '#24425d',
  waterway: '#27486a',
  road: {
    expressway: { fill: '#6b5533', casing: '#3a3127' },
    national: { fill: '#574a35', casing: '#332c24' },
    provincial: { fill: '#4a4336', casing: '#2e2a24' },
    county: { fill: '#3b4048', casing: '#2a2e34' },
    urban: { fill: '#373c43', casing: '#2a2e34' },
    rural: { fill: '#31353b', casing: '#272a2f' },
  },
  boundary: { county: '#8e84a3', town: '#6f6882', village: '#4f4a5c' },
  boundaryHalo: 'rgba(60, 52, 74, 0.6)',
  label: { place: '#e2e4e8', town: '#c4c8ce', village: '#9aa0a8', road: '#9a958c', water: '#7fa7cf', halo: '#16191d' },
};

/** The palette of a theme. */
export function paletteOf(theme: BasemapTheme): Palette {
  return theme === 'dark' ? DARK : LIGHT;
}
