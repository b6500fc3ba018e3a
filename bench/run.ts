// Runs every benchmark in turn (`npm run bench`); each prints its own Markdown tables.
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const rows = process.argv[2] ?? '1000000';
for (const script of ['import-points.ts', 'items-page.ts', 'tiles.ts']) {
  console.log(`\n## ${script}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, script), rows], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
