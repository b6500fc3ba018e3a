import type { Feature, Geometry } from 'geojson';
import type { ImportFormat, OpenedSource, SourceItem } from './types.ts';
import { checkGeometry } from './geometry-check.ts';

/**
 * An import source over features already in memory or generated lazily (the demo county, a
 * FeatureCollection posted as JSON): the same pipeline as a file, so the same checks apply.
 */
export function memorySource(
  features: Iterable<{ geometry: Geometry | null; properties: Record<string, unknown> | null; id?: string | number } | Feature>,
  opts: { crs?: number; format?: ImportFormat; estimatedCount?: number } = {},
): OpenedSource {
  let read = 0;
  const total = opts.estimatedCount;
  return {
    format: opts.format ?? 'geojson',
    ...(opts.crs ? { crs: opts.crs } : {}),
    ...(total ? { estimatedCount: total, totalBytes: total, bytesRead: () => read } : {}),
    async *features(): AsyncIterable<SourceItem> {
      for (const f of features) {
        read++;
        // The same structural check as the file readers: this source must not be a way around it.
        const reason = f.geometry ? checkGeometry(f.geometry) : null;
        if (reason) {
          yield { row: read, field: 'geometry', reason, error: true };
          continue;
        }
        yield { row: read, geometry: f.geometry ?? null, properties: { ...(f.properties ?? {}) }, ...(f.id !== undefined ? { id: f.id } : {}) };
      }
    },
    async close() {},
  };
}
