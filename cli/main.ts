import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import pino from 'pino';
import { webBuildIsStale } from '../server/web/build.ts';
import { isYituError } from '../server/platform/errors.ts';
import { createLogger } from '../server/platform/logger.ts';
import { openRuntime, startServer, type Runtime } from '../server/start.ts';
import { importOptionsSchema, toImportRequest, datasetIdFromFileName } from '../server/hub/routes.ts';
import { datasetIdSchema } from '../server/hub/model.ts';
import { ProgressBar } from './progress.ts';
import { runExport } from './export-command.ts';
import { runSeed, seedIfEmpty } from './seed-command.ts';
import { addAccountCommands } from './account-commands.ts';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Unexpected failure (a bug, an I/O error). */
  failure: 1,
  /** Wrong command line. */
  usage: 2,
  /** The input was refused (bad file, unknown dataset, invalid option value). */
  input: 3,
  /** The database or another service is unavailable. */
  unavailable: 4,
} as const;

function exitCodeOf(e: unknown): number {
  if (isYituError(e)) return e.status === 503 ? EXIT.unavailable : e.status >= 500 ? EXIT.failure : EXIT.input;
  return EXIT.failure;
}

function printError(e: unknown): void {
  if (isYituError(e)) {
    process.stderr.write(`yitu: ${e.message} [${e.code}]\n`);
    for (const loc of e.errors ?? []) {
      const where = [loc.row !== undefined ? `row ${loc.row}` : '', loc.field ? `field "${loc.field}"` : '', loc.line !== undefined ? `line ${loc.line}` : '', loc.offset !== undefined ? `offset ${loc.offset}` : '']
        .filter(Boolean)
        .join(', ');
      process.stderr.write(`  - ${where ? `${where}: ` : ''}${loc.reason}\n`);
    }
  } else {
    process.stderr.write(`yitu: ${(e as Error)?.stack ?? String(e)}\n`);
  }
}

/**
 * Opens a quiet runtime for a one-shot command (logs only warnings). Its logs go to stderr so that
 * stdout carries only the command's output (`--json` stays parseable when a warning is logged).
 */
async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const level = process.env.YITU_LOG_LEVEL || 'warn';
  const log = createLogger(pino.levels.values[level] !== undefined || level === 'silent' ? level : 'warn', pino.destination({ fd: 2, sync: true }));
  // A first administrator's generated password goes to stderr here: stdout is the command's output.
  const rt = await openRuntime({ logLevel: (process.env.YITU_LOG_LEVEL as 'warn' | undefined) ?? 'warn' }, { log, announce: (text) => process.stderr.write(text) });
  const onSignal = () => {
    process.stderr.write('\nyitu: interrupted; rolling back…\n');
    void rt.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(rt);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rt.close();
  }
}

/** Reads a whole-number option, or refuses the command line (exit 2) before anything is opened. */
function wholeNumber(command: string, option: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < min || n > max) {
    throw new CommanderError(EXIT.usage, 'yitu.usage', `yitu ${command}: ${option} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`}; got "${value}".`);
  }
  return n;
}

function table(rows: Record<string, unknown>[], cols: string[]): string {
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c] ?? ''))))].join('\n');
}

/** Builds the `yitu` command. */
export function buildProgram(): Command {
  const program = new Command('yitu')
    .description('Yitu (一图): one database, one map, one toolbox for county spatial governance')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('start the HTTP server (loads the demo county into an empty database)')
    .option('--port <port>', 'TCP port (env PORT)')
    .option('--no-demo', 'do not load the demo county into an empty database')
    .action(async (o: { port?: string; demo: boolean }) => {
      const port = o.port === undefined ? undefined : wholeNumber('serve', '--port', o.port, 0, 65535);
      const rt = await openRuntime({ ...(port !== undefined ? { port } : {}), ...(o.demo ? {} : { demoOnEmpty: false }) });
      try {
        if (rt.config.demoOnEmpty) await seedIfEmpty(rt);
      } catch (e) {
        await rt.close();
        throw e;
      }
      // A person starting Yitu sees why the first start pauses (the build itself logs its time).
      if (!process.env.VITEST && (await webBuildIsStale().catch(() => true))) process.stdout.write('Building the web app with Vite (first start, or its sources changed)…\n');
      const server = await startServer(rt);
      process.stdout.write(`Yitu is running at ${server.url}  (collections: ${server.url}/collections, database: ${rt.db.kind})\n`);
      await new Promise<void>((resolve) => {
        const stop = (sig: string) => {
          rt.log.info({ signal: sig }, 'shutting down: running jobs roll back');
          void server.stop().finally(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });

  program
    .command('import <file>')
    .description('import a file (GeoJSON, NDJSON, CSV, zipped Shapefile, GeoPackage, FlatGeobuf, KML) as a new dataset or a new version')
    .option('--dataset <id>', 'dataset id (default: from the file name)')
    .option('--title <title>', 'title (Chinese or any language)')
    .option('--title-en <title>', 'English title')
    .option('--department <id>', 'owner department id')
    .addOption(new Option('--mode <mode>', 'how the file changes the dataset').choices(['create', 'append', 'replace', 'upsert']).default('create'))
    .option('--key <column>', 'key column for upsert / keyed replace')
    .option('--crs <epsg>', 'EPSG code of the coordinates when the file does not say it (e.g. 4490, 4549)')
    .addOption(new Option('--coords <offset>', 'remove the offset of Chinese web maps').choices(['wgs84', 'gcj02', 'bd09']))
    .addOption(new Option('--encoding <enc>', 'text encoding of CSV/DBF').choices(['auto', 'utf-8', 'gbk', 'gb18030']))
    .option('--x <column>', 'CSV longitude column')
    .option('--y <column>', 'CSV latitude column')
    .option('--wkt <column>', 'CSV WKT geometry column')
    .option('--layer <name>', 'GeoPackage layer')
    .addOption(new Option('--theme <theme>', 'catalog theme').choices(['current', 'planning', 'management', 'socioeconomic', 'sensing']))
    .addOption(new Option('--classification <level>', 'who may see it').choices(['public', 'internal', 'confidential']))
    .option('--types <json>', 'column types, e.g. \'{"code":"text"}\'')
    .option('--skip-invalid', 'leave out rows that cannot be read (reported) instead of failing')
    .option('--message <text>', 'a note for the version')
    .option('--json', 'print the import report as JSON')
    .action(async (file: string, o: Record<string, string | boolean | undefined>) => {
      const fields: Record<string, unknown> = { mode: o.mode };
      for (const k of ['crs', 'coords', 'encoding', 'x', 'y', 'wkt', 'layer', 'key', 'message', 'title', 'titleEn', 'department', 'theme', 'classification']) {
        if (o[k] !== undefined) fields[k] = o[k];
      }
      if (o.types !== undefined) {
        try {
          fields.types = JSON.parse(String(o.types));
        } catch {
          throw new CommanderError(EXIT.usage, 'yitu.usage', `yitu import: --types must be a JSON object of column types, e.g. '{"code":"text"}'; got ${String(o.types)}`);
        }
      }
      if (o.skipInvalid) fields.skipInvalid = true;
      const parsed = importOptionsSchema.safeParse(fields);
      if (!parsed.success) throw new CommanderError(EXIT.usage, 'yitu.usage', `yitu import: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const id = (o.dataset as string | undefined) ?? datasetIdFromFileName(file);
      const idOk = datasetIdSchema.safeParse(id);
      if (!idOk.success) throw new CommanderError(EXIT.usage, 'yitu.usage', `yitu import: --dataset "${id}": ${idOk.error.issues[0].message}`);
      await withRuntime(async (rt) => {
        const bar = new ProgressBar(`importing ${id}`);
        try {
          const report = await rt.services.hub.importAndWait(toImportRequest(parsed.data, file, path.basename(file), id), (p, m) => bar.update(p, m));
          bar.update(100, 'done');
          bar.done();
          if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          else {
            process.stdout.write(
              `Imported ${report.imported.toLocaleString('en')} features into "${id}" (version ${report.version}, ${report.mode}) in ${(report.durationMs / 1000).toFixed(1)} s` +
                ` — added ${report.added}, removed ${report.removed}, changed ${report.changed}; repaired geometries ${report.repaired}; skipped rows ${report.skipped}; source EPSG:${report.sourceCrs}` +
                `${report.coords !== 'wgs84' ? ` (${report.coords} offsets removed)` : ''}${report.encoding ? `, ${report.encoding}` : ''}.\n`,
            );
            for (const e of report.errors) process.stdout.write(`  skipped row ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.reason}\n`);
          }
        } catch (e) {
          bar.done();
          throw e;
        }
      });
    });

  program
    .command('export <dataset>')
    .description('export a dataset (GeoJSON, CSV, GeoPackage, zipped Shapefile)')
    .addOption(new Option('--format <format>', 'file format').choices(['geojson', 'csv', 'geopackage', 'gpkg', 'shapefile', 'shp']).default('geojson'))
    .option('--out <path>', 'output file (default: <dataset>.<ext> in the current directory)')
    .option('--version <n>', 'export an older version')
    .action(async (dataset: string, o: { format: string; out?: string; version?: string }) => {
      if (o.version !== undefined) wholeNumber('export', '--version', o.version, 1);
      await withRuntime((rt) => runExport(rt, dataset, o));
    });

  program
    .command('datasets')
    .description('list the datasets of the catalog')
    .option('--q <text>', 'search text')
    .option('--theme <theme>', 'only this theme')
    .option('--json', 'print JSON')
    .action(async (o: { q?: string; theme?: string; json?: boolean }) => {
      await withRuntime(async (rt) => {
        const r = await rt.services.hub.search({ ...(o.q ? { q: o.q } : {}), ...(o.theme ? { theme: o.theme } : {}), limit: 1000 });
        if (o.json) return void process.stdout.write(`${JSON.stringify(r.items, null, 2)}\n`);
        const rows = r.items.map((d) => ({ id: d.id, title: d.title.zh || d.title.en, theme: d.theme, features: d.featureCount, version: d.currentVersion, department: d.department ?? '' }));
        process.stdout.write(`${table(rows, ['id', 'title', 'theme', 'features', 'version', 'department'])}\n${r.total} datasets\n`);
      });
    });

  program
    .command('jobs')
    .description('list recent jobs')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (o: { limit: string; json?: boolean }) => {
      const limit = wholeNumber('jobs', '--limit', o.limit, 1, 1000);
      await withRuntime(async (rt) => {
        const jobs = await rt.services.jobs.list({ limit });
        if (o.json) return void process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
        const rows = jobs.map((j) => ({ id: j.id, kind: j.kind, status: j.status, progress: `${j.progress}%`, created: j.createdAt, message: (j.error?.detail as string | undefined) ?? j.message ?? '' }));
        process.stdout.write(`${table(rows, ['id', 'kind', 'status', 'progress', 'created', 'message'])}\n`);
      });
    });

  program
    .command('seed')
    .description('load generated data')
    .command('demo')
    .description('load the demo county (Deqing): real boundary and codes, synthetic layers')
    .option('--scale <n>', 'grow the synthetic data N times (benchmarks)', '1')
    .option('--seed <n>', 'random seed', '1')
    .option('--replace', 'replace the demo data already loaded')
    .action(async (o: { scale: string; seed: string; replace?: boolean }) => {
      const scale = Number(o.scale);
      const seed = Number(o.seed);
      if (!Number.isInteger(scale) || scale < 1 || scale > 100) throw new CommanderError(EXIT.usage, 'yitu.usage', 'yitu seed demo: --scale must be a whole number 1–100.');
      if (!Number.isInteger(seed)) throw new CommanderError(EXIT.usage, 'yitu.usage', 'yitu seed demo: --seed must be a whole number.');
      await withRuntime((rt) => runSeed(rt, { scale, seed, replace: Boolean(o.replace) }));
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      await withRuntime(async (rt) => {
        process.stdout.write(`Database (${rt.db.kind}) is migrated.\n`);
      });
    });

  addAccountCommands(program, { withRuntime, table, wholeNumber, usageExit: EXIT.usage });
  return program;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (e.code === 'yitu.usage') process.stderr.write(`${e.message}\n`);
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    printError(e);
    return exitCodeOf(e);
  }
}
