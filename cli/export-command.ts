import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportFormat, exportToFile } from '../server/hub/export.ts';
import type { Runtime } from '../server/start.ts';

/** `yitu export`: writes a dataset to a file. */
export async function runExport(rt: Runtime, dataset: string, o: { format: string; out?: string; version?: string }): Promise<void> {
  const ds = await rt.services.hub.getTable(dataset);
  const format = exportFormat(o.format);
  const version = o.version === undefined ? undefined : Number(o.version);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'yitu-export-'));
  try {
    const r = await exportToFile(rt.db, ds, format, tmp, version);
    const out = path.resolve(o.out ?? r.fileName);
    await copyFile(r.path, out);
    await rt.services.hub.countUsage(ds.id);
    process.stdout.write(`Exported ${r.count.toLocaleString('en')} features of "${ds.id}" to ${out} (${(r.bytes / 1024).toFixed(0)} KB).\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
