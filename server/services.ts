import type { Logger } from 'pino';
import type { Config } from './platform/config.ts';
import type { Db } from './platform/db.ts';
import { JobService } from './jobs/service.ts';
import { HubService } from './hub/service.ts';
import { RegionService } from './regions/service.ts';
import { StatsService } from './stats/service.ts';

/** The services of one Yitu process; routes, the CLI and tests share them. */
export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  jobs: JobService;
  hub: HubService;
  regions: RegionService;
  stats: StatsService;
}

/** Creates the services over an open database. */
export function createServices(config: Config, db: Db, log: Logger): Services {
  const jobs = new JobService(db, log);
  const hub = new HubService(db, jobs, log);
  return { config, db, log, jobs, hub, regions: new RegionService(db), stats: new StatsService(db) };
}
