import type { Runtime } from '../server/start.ts';
import { ProgressBar } from './progress.ts';

/** `yitu seed demo`: loads the demo county with a progress bar. */
export async function runSeed(rt: Runtime, o: { scale: number; seed: number; replace: boolean }): Promise<void> {
  const { seedDemo } = await import('../server/demo/seed.ts');
  const { demoAccountsBox } = await import('../server/demo/accounts-box.ts');
  const bar = new ProgressBar('seeding the demo county');
  const t0 = Date.now();
  let report;
  try {
    report = await seedDemo(rt.services, { scale: o.scale, seed: o.seed, replace: o.replace, onProgress: (step, pct) => bar.update(pct, step) });
  } finally {
    bar.done();
  }
  process.stdout.write(`Demo county loaded (scale ${o.scale}) in ${((Date.now() - t0) / 1000).toFixed(0)} s.\n`);
  // The demo accounts and, when generated, their password: to stdout once, never to the logger.
  if (report.people) process.stdout.write(demoAccountsBox(report.people));
}

/** Loads the demo county when the database is empty (first `npm start`). */
export async function seedIfEmpty(rt: Runtime): Promise<void> {
  const { seedDemo, isDatabaseEmpty } = await import('../server/demo/seed.ts');
  const { demoAccountsBox } = await import('../server/demo/accounts-box.ts');
  if (!(await isDatabaseEmpty(rt.db))) return;
  process.stdout.write('First start: loading the demo county (Deqing) into the empty database…\n');
  const bar = new ProgressBar('seeding');
  const t0 = Date.now();
  const report = await seedDemo(rt.services, { scale: rt.config.demoScale, onProgress: (step, pct) => bar.update(pct, step) });
  bar.done();
  process.stdout.write(`Demo county loaded in ${((Date.now() - t0) / 1000).toFixed(0)} s.\n`);
  if (report.people) process.stdout.write(demoAccountsBox(report.people));
}
