import path from 'node:path';
import { z } from 'zod';
import { YituError } from './errors.ts';

/** The one typed configuration of Yitu. Defaults here; the environment overrides them. */
export const configSchema = z.object({
  /** TCP port of the HTTP server. */
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on. */
  host: z.string().default('0.0.0.0'),
  /** Public base URL used in links (OGC API `links`); derived from the request when empty. */
  publicUrl: z.string().url().optional(),
  /** Directory of the embedded database and uploads. */
  dataDir: z.string().default('./data'),
  /** `postgres://…` to use a PostgreSQL/PostGIS server instead of the embedded database. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  /** Pool size when on PostgreSQL. */
  databasePoolSize: z.coerce.number().int().min(1).max(200).default(10),
  /** pino log level. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: z.coerce.number().int().positive().default(2 * 1024 ** 3),
  /** Load the demo county into an empty database at start. */
  demoOnEmpty: z.coerce.boolean().default(true),
  /** Scale of the demo county loaded at start. */
  demoScale: z.coerce.number().int().min(1).max(100).default(1),
  /** Default and largest page size of OGC API – Features `/items`. */
  itemsDefaultLimit: z.coerce.number().int().min(1).default(10),
  itemsMaxLimit: z.coerce.number().int().min(1).default(10_000),
  /** Above this many matching rows `numberMatched` is estimated from the planner instead of counted. */
  exactCountThreshold: z.coerce.number().int().min(0).default(10_000),
  /** Memory for encoded vector tiles (gzip-compressed), in MiB; 0 turns the tile cache off. */
  tileCacheMb: z.coerce.number().min(0).max(65_536).default(256),
  /**
   * Raster XYZ or WMTS tile URL templates of an online basemap (e.g. Tianditu with its key), with
   * {z}, {x}, {y} (or WMTS {TileMatrix}, {TileCol}, {TileRow}); several, separated by spaces, are
   * drawn in order (Tianditu: vec_w then cva_w). None by default: Yitu needs no internet.
   */
  basemapUrl: z.string().regex(/^\s*https?:\/\/\S+(\s+https?:\/\/\S+)*\s*$/, 'must be one or more http(s):// tile URL templates separated by spaces').optional(),
  /** Attribution shown with the online basemap. */
  basemapAttribution: z.string().max(500).default(''),
  /** Name of the online basemap in the basemap switcher (default: "Online basemap"). */
  basemapName: z.string().max(100).default(''),
  /** Datasets that feed the offline basemap (`water=…,waterway=…,road=…`); a missing one is left out. */
  basemapDatasets: z
    .string()
    .regex(/^\s*(water|waterway|road)\s*=\s*([a-z][a-z0-9_]*)?\s*(,\s*(water|waterway|road)\s*=\s*([a-z][a-z0-9_]*)?\s*)*$/, 'must look like water=lakes_reservoirs,waterway=rivers,road=roads')
    .default('water=lakes_reservoirs,waterway=rivers,road=roads'),
  /** Password of the first administrator (`admin`), used once when there is no user; generated and printed when empty. */
  adminPassword: z.string().min(10, 'must have at least 10 characters').max(256).optional(),
  /** Password of the demo county's users, set when the demo is loaded; generated and printed when empty. */
  demoPassword: z.string().min(10, 'must have at least 10 characters').max(256).optional(),
  /** Lifetime of a sign-in session, in hours. */
  sessionHours: z.coerce.number().min(0.1).max(24 * 30).default(12),
  /** Mark the session cookie Secure: `auto` when the request came over https (or X-Forwarded-Proto https). */
  cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Failed sign-ins of one account in a row before it is locked for `signInLockMinutes`. */
  signInMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
  /** Minutes an account stays locked after too many failed sign-ins. */
  signInLockMinutes: z.coerce.number().min(1).max(24 * 60).default(15),
  /** Failed sign-ins from one address within 15 minutes before it must wait (names tried do not matter). */
  signInMaxPerIp: z.coerce.number().int().min(1).max(100_000).default(30),
});

/** Yitu's configuration. */
export type Config = z.infer<typeof configSchema>;

/** Environment variables read, and the config key each sets. */
const ENV_KEYS: Record<string, keyof Config> = {
  PORT: 'port',
  HOST: 'host',
  YITU_PUBLIC_URL: 'publicUrl',
  YITU_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  YITU_DB_POOL_SIZE: 'databasePoolSize',
  YITU_LOG_LEVEL: 'logLevel',
  YITU_MAX_UPLOAD_BYTES: 'maxUploadBytes',
  YITU_DEMO: 'demoOnEmpty',
  YITU_DEMO_SCALE: 'demoScale',
  YITU_ITEMS_DEFAULT_LIMIT: 'itemsDefaultLimit',
  YITU_ITEMS_MAX_LIMIT: 'itemsMaxLimit',
  YITU_EXACT_COUNT_THRESHOLD: 'exactCountThreshold',
  YITU_TILE_CACHE_MB: 'tileCacheMb',
  YITU_BASEMAP_URL: 'basemapUrl',
  YITU_BASEMAP_ATTRIBUTION: 'basemapAttribution',
  YITU_BASEMAP_NAME: 'basemapName',
  YITU_BASEMAP_DATASETS: 'basemapDatasets',
  YITU_ADMIN_PASSWORD: 'adminPassword',
  YITU_DEMO_PASSWORD: 'demoPassword',
  YITU_SESSION_HOURS: 'sessionHours',
  YITU_COOKIE_SECURE: 'cookieSecure',
  YITU_SIGN_IN_MAX_FAILURES: 'signInMaxFailures',
  YITU_SIGN_IN_LOCK_MINUTES: 'signInLockMinutes',
  YITU_SIGN_IN_MAX_PER_IP: 'signInMaxPerIp',
};

/**
 * Builds the configuration from `overrides` (highest), the environment, and the defaults.
 * Unknown `YITU_*` variables are returned as warnings, never silently ignored.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): { config: Config; warnings: string[] } {
  const raw: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const key = ENV_KEYS[name];
    if (key) raw[key] = key === 'demoOnEmpty' ? !/^(0|false|no|off)$/i.test(value) : value;
    else if (name.startsWith('YITU_')) warnings.push(`Unknown setting ${name} is ignored; known: ${Object.keys(ENV_KEYS).join(', ')}.`);
  }
  Object.assign(raw, overrides);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        const key = String(i.path[0]);
        const envName = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0] ?? key;
        return `${envName}: ${i.message}`;
      })
      .join('; ');
    throw new YituError('YITU_ERR_CONFIG_INVALID', `Invalid configuration: ${msg}.`);
  }
  const config = parsed.data;
  config.dataDir = path.resolve(config.dataDir);
  return { config, warnings };
}
