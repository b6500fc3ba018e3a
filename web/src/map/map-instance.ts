import { setWorkerUrl, type Map as MlMap } from 'maplibre-gl';
// MapLibre's worker is a separate, self-contained module; Vite copies it as an asset of the build.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

setWorkerUrl(workerUrl);

let current: MlMap | null = null;
const waiters: Array<(m: MlMap) => void> = [];

/** Fonts for CJK ideographs drawn by the browser (MapLibre's `localIdeographFontFamily`): no glyph download. */
export const LOCAL_CJK_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

/** Registers the workspace map (or null when it is removed). */
export function setMap(m: MlMap | null): void {
  current = m;
  if (m) for (const w of waiters.splice(0)) w(m);
}

/** The workspace map, if created. */
export function getMap(): MlMap | null {
  return current;
}

/** Resolves with the workspace map once it exists. */
export function whenMap(): Promise<MlMap> {
  return current ? Promise.resolve(current) : new Promise((r) => waiters.push(r));
}

/** Makes a URL absolute against this page (MapLibre fetches tiles from workers). */
export function absolute(url: string): string {
  return new URL(url, window.location.href).toString().replace(/%7B/g, '{').replace(/%7D/g, '}');
}
