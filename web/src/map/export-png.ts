import type { Map as MlMap } from 'maplibre-gl';

/** The map as it is drawn now, as a PNG (the canvas keeps its drawing buffer). */
export function mapPng(map: MlMap): Promise<Blob> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      map.getCanvas().toBlob((b) => (b ? resolve(b) : reject(new Error('the map could not be exported'))), 'image/png');
    });
    map.triggerRepaint();
  });
}

/** Downloads the map view as `yitu-<date>.png`. */
export async function downloadPng(map: MlMap): Promise<void> {
  const blob = await mapPng(map);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `yitu-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.png`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
