/**
 * The access rules, as pure functions of who asks and what is asked for. Every data path (catalog,
 * features, tiles, exports, versions, diffs, maps, statistics, processes later) decides through
 * these, by way of `AccessService`; nothing else in the code compares roles or classifications.
 *
 * - public data: anyone, also anonymous;
 * - internal data: any signed-in user;
 * - confidential data: users of the owning department, and holders of an active grant (to their
 *   department or to them);
 * - the administrator reads and writes everything (the platform operator; every read is audited);
 * - writes (imports, metadata, classification, feature edits, rollback, removal, styles): the
 *   owning department's data stewards and the administrator;
 * - regional scope: a user with a scope (a town, a grid) reads the features of non-public datasets
 *   only within it; public data is the same for everyone.
 */
import type { Dataset, DatasetVisibility } from '../hub/model.ts';
import type { Principal, Role } from './model.ts';

/** True when the principal holds `role`. */
export function hasRole(p: Principal, role: Role): boolean {
  return p.roles.includes(role);
}

/** True for the administrator. */
export function isAdmin(p: Principal): boolean {
  return p.kind === 'user' && hasRole(p, 'administrator');
}

/** True for any signed-in user (staff). */
export function isStaff(p: Principal): boolean {
  return p.kind === 'user';
}

/** The parts of a dataset access depends on. */
export type Guarded = Pick<Dataset, 'id' | 'classification' | 'department'>;

/**
 * True when the principal may see the dataset (its catalog entry) and read its data.
 * `granted` holds the ids of datasets the principal has an active grant on.
 */
export function canRead(p: Principal, ds: Guarded, granted: ReadonlySet<string>): boolean {
  if (ds.classification === 'public') return true;
  if (p.kind !== 'user') return false;
  if (isAdmin(p) || ds.classification === 'internal') return true;
  return (ds.department !== null && ds.department === p.departmentId) || granted.has(ds.id);
}

/** True when the principal may import into the dataset, change its metadata or classification, edit or remove it. */
export function canWrite(p: Principal, ds: Guarded): boolean {
  if (isAdmin(p)) return true;
  return hasRole(p, 'data_steward') && ds.department !== null && ds.department === p.departmentId;
}

/**
 * True when the principal may create a dataset owned by `department` (null: no department):
 * the administrator for any, a steward for their own department.
 */
export function canCreateDataset(p: Principal, department: string | null): boolean {
  if (isAdmin(p)) return true;
  return hasRole(p, 'data_steward') && department !== null && department === p.departmentId;
}

/** True when the principal decides sharing requests for (and grants on) the dataset: its stewards and the administrator. */
export function canGrant(p: Principal, ds: Guarded): boolean {
  return canWrite(p, ds);
}

/**
 * Region codes the principal's reads of this dataset's features are limited to, or null for no
 * limit (public data, the administrator, users without a scope).
 */
export function featureScope(p: Principal, ds: Guarded): readonly string[] | null {
  if (ds.classification === 'public' || isAdmin(p)) return null;
  return p.scope;
}

/** The catalog filter for the principal: which datasets a search may return. Null = all. */
export function datasetVisibility(p: Principal, granted: ReadonlySet<string>): DatasetVisibility | null {
  if (isAdmin(p)) return null;
  if (p.kind !== 'user') return { classifications: ['public'], departments: [], datasetIds: [] };
  return {
    classifications: ['public', 'internal'],
    departments: p.departmentId ? [p.departmentId] : [],
    datasetIds: [...granted],
  };
}

/** True when the principal may administer users, departments and roles, and read the whole audit trail. */
export function canAdminister(p: Principal): boolean {
  return isAdmin(p);
}

/**
 * True when the principal may read audit events: the administrator all; a department's stewards
 * and supervisors those of their department's people and datasets; a leader their department's.
 */
export function canReadAudit(p: Principal): boolean {
  return isAdmin(p) || (p.kind === 'user' && (hasRole(p, 'data_steward') || hasRole(p, 'supervisor') || hasRole(p, 'leader')));
}
