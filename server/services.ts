import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db.ts';
import { JobService } from './jobs/service.ts';
import { HubService } from './hub/service.ts';
import { RegionService } from './regions/service.ts';
import { StatsService } from './stats/service.ts';
import { TileService } from './map/tiles/service.ts';
import { FontService } from './map/fonts/service.ts';
import { BasemapService } from './map/basemap/service.ts';
import { StyleService } from './map/styles/service.ts';
import { MapService } from './map/maps/service.ts';
import { DEFAULT_FONT } from './map/fonts/index.ts';
import { AccessGuard } from './access/guard.ts';
import { AuditLog } from './access/audit-log.ts';
import { AccountService } from './access/accounts.ts';
import { NotificationService } from './access/notifications.ts';
import { SharingService } from './access/sharing-service.ts';
import { GrantService } from './access/grants.ts';
import { AuditService } from './access/audit-service.ts';
import { DepartmentService } from './access/departments.ts';

/** The services of one Yitu process; routes, the CLI and tests share them. */
export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  jobs: JobService;
  hub: HubService;
  regions: RegionService;
  stats: StatsService;
  tiles: TileService;
  fonts: FontService;
  basemap: BasemapService;
  styles: StyleService;
  maps: MapService;
  /** Access decisions and credential resolution. */
  guard: AccessGuard;
  /** The audit trail. */
  audit: AuditLog;
  /** Users, sessions and API tokens. */
  accounts: AccountService;
  /** In-app notifications. */
  notifications: NotificationService;
  /** Sharing requests and their decisions. */
  sharing: SharingService;
  /** Direct grants on datasets. */
  grants: GrantService;
  /** Search, export and usage figures of the audit trail. */
  auditTrail: AuditService;
  /** Departments: jurisdiction and case categories. */
  departments: DepartmentService;
}

/** Creates the services over an open database. */
export function createServices(config: Config, db: Db, log: Logger): Services {
  const jobs = new JobService(db, log);
  const hub = new HubService(db, jobs, log);
  const tiles = new TileService(hub, { cacheBytes: config.tileCacheMb * 1024 * 1024 });
  const fonts = new FontService({ cacheDir: path.join(config.dataDir, 'cache', 'glyphs'), log });
  const basemap = new BasemapService(tiles, config);
  const styles = new StyleService(db, hub, { font: DEFAULT_FONT });
  const maps = new MapService(db, styles, {
    tiles,
    basemap: (o) => basemap.style({ baseUrl: o.baseUrl, lang: o.lang, theme: 'light', basemap: o.basemap === 'xyz' ? 'xyz' : 'offline' }),
  });
  const guard = new AccessGuard(db, hub);
  const audit = new AuditLog(db, log);
  const accounts = new AccountService(db, guard, { sessionHours: config.sessionHours });
  const notifications = new NotificationService(db);
  const sharing = new SharingService(db, hub, guard, audit, notifications);
  const grants = new GrantService(db, hub, guard, audit, notifications);
  const auditTrail = new AuditService(db, guard);
  const departments = new DepartmentService(db, guard);
  return { config, db, log, jobs, hub, regions: new RegionService(db), stats: new StatsService(db), tiles, fonts, basemap, styles, maps, guard, audit, accounts, notifications, sharing, grants, auditTrail, departments };
}
