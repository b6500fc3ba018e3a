import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import { type AccessGuard, notFound, requireUser } from '../access/guard.ts';
import type { AuditLog } from '../access/audit-log.ts';
import { originOf } from '../access/auth-hook.ts';
import type { Principal } from '../access/model.ts';
import { canGrant, canWrite } from '../access/policy.ts';
import * as catalog from './catalog-repo.ts';
import type { Dataset } from './model.ts';

/** The access collaborators of the hub's and the statistics' routes. */
export interface RouteAccess {
  guard: AccessGuard;
  audit: AuditLog;
}

/** What the caller may do with a dataset they read, for the web app (`access` of a dataset response). */
export interface DatasetAccess {
  read: true;
  write: boolean;
  grant: boolean;
}

/** The dataset with what the caller may do with it. */
export function withAccess<T extends Dataset>(p: Principal, ds: T): T & { access: DatasetAccess } {
  return { ...ds, access: { read: true, write: canWrite(p, ds), grant: canGrant(p, ds) } };
}

/** The result of {@link authoriseImport}. */
export interface ImportAuthorisation {
  /** The dataset imported into, or null when the import creates it. */
  existing: Dataset | null;
  /** The owning department: the existing dataset's, or the new one's (given, else the caller's). */
  department: string | null;
  /** The user who imports. */
  userId: string;
}

/**
 * Decides an import (features or a statistical table) before anything is read:
 * - into a dataset the caller sees: its stewards (and the administrator) only (`guard.writable`);
 * - into one they do not see, or one that does not exist: only mode `create` makes sense, and it
 *   creates a dataset owned by `department` (default: the caller's), which the caller must be
 *   allowed to create (`guard.assertCreate`); any other mode is the uniform "not found".
 * Ids are one namespace: a steward creating a dataset under an id a hidden dataset already has
 * learns that the id is taken (409), nothing else. The anonymous get 401.
 */
export async function authoriseImport(db: Queryable, guard: AccessGuard, p: Principal, id: string, mode: string, department: string | undefined): Promise<ImportAuthorisation> {
  requireUser(p);
  const existing = await catalog.getDataset(db, id);
  if (existing && (await guard.mayRead(p, existing))) {
    const ds = await guard.writable(p, id);
    return { existing: ds, department: ds.department, userId: p.userId };
  }
  if (mode !== 'create') throw notFound(id);
  const owner = department ?? p.departmentId;
  guard.assertCreate(p, owner);
  if (existing) throw new YituError('YITU_ERR_DATASET_EXISTS', `The id "${id}" is taken. Choose another id for the new dataset.`);
  return { existing: null, department: owner, userId: p.userId };
}

/** Records a write (awaited): who, from where, which dataset, what. */
export async function recordWrite(
  audit: AuditLog,
  req: FastifyRequest,
  action: string,
  ds: Pick<Dataset, 'id' | 'classification'>,
  details: Record<string, unknown> = {},
  extra: { targetType?: string; targetId?: string; featureCount?: number } = {},
): Promise<void> {
  await audit.record({ principal: req.principal, origin: originOf(req), action, datasetId: ds.id, classification: ds.classification, details, ...extra });
}

/** Records a read of restricted data (buffered; reads of public data are skipped). */
export function recordRead(audit: AuditLog, req: FastifyRequest, action: string, ds: Pick<Dataset, 'id' | 'classification'>, featureCount?: number): void {
  audit.recordRead({
    principal: req.principal,
    origin: originOf(req),
    action,
    datasetId: ds.id,
    classification: ds.classification,
    ...(featureCount !== undefined ? { featureCount } : {}),
  });
}
