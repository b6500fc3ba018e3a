import { z } from 'zod';

/** Roles a user may hold within their department. */
export const ROLES = ['administrator', 'data_steward', 'analyst', 'supervisor', 'case_handler', 'grid_worker', 'leader'] as const;
/** A role. The anonymous public holds none. */
export type Role = (typeof ROLES)[number];

/** Role titles for people (the web app and the API's role list). */
export const ROLE_TITLES: Record<Role, { zh: string; en: string }> = {
  administrator: { zh: '系统管理员', en: 'Administrator' },
  data_steward: { zh: '数据管理员', en: 'Data steward' },
  analyst: { zh: '分析人员', en: 'Analyst' },
  supervisor: { zh: '督查人员', en: 'Supervisor' },
  case_handler: { zh: '案件处置人员', en: 'Case handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  leader: { zh: '领导', en: 'Leader' },
};

/**
 * Who is asking: the anonymous public, or a signed-in user (by session cookie or API token).
 * Built once per request by the auth hook and passed to every access decision.
 */
export interface Principal {
  kind: 'anonymous' | 'user';
  userId: string | null;
  username: string | null;
  displayName: string;
  departmentId: string | null;
  roles: readonly Role[];
  /**
   * Regional scope: region codes the user sees and acts within (a town, a grid), or null for no
   * regional limit. The user's own codes, else the department's jurisdiction, else null.
   */
  scope: readonly string[] | null;
  /** How the request was authenticated. */
  via: 'none' | 'session' | 'token';
}

/** The anonymous public. */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  userId: null,
  username: null,
  displayName: '',
  departmentId: null,
  roles: Object.freeze([]) as readonly Role[],
  scope: null,
  via: 'none',
});

/** A user name: 3–64 characters, lower-case letters, digits, `.`, `_`, `-`, starting with a letter. */
export const usernameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{2,63}$/, 'a user name is 3–64 characters: lower-case letters, digits, ".", "_" and "-", starting with a letter');

/** A department id such as `natural-resources-planning`. */
export const departmentIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'a department id such as natural-resources-planning');

/** A user as the API shows it (never the password hash). */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string;
  phone: string;
  department: string | null;
  roles: Role[];
  regionCodes: string[];
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A department with its jurisdiction and case categories. */
export interface Department {
  id: string;
  name: { zh: string; en: string };
  kind: 'county' | 'bureau' | 'town';
  regionCodes: string[];
  caseCategories: string[];
}

/** A read grant on a dataset, to a department or a user. */
export interface Grant {
  id: string;
  datasetId: string;
  department: string | null;
  userId: string | null;
  grantedBy: string | null;
  requestId: string | null;
  reason: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** `active` until expiry or revocation. */
  status: 'active' | 'expired' | 'revoked';
}

/** One event of the audit trail. */
export interface AuditEvent {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string;
  department: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  datasetId: string | null;
  classification: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string;
  userAgent: string;
  featureCount: number | null;
  requests: number;
  details: Record<string, unknown>;
}

/** An API token as its owner sees it (`GET /auth/tokens`; never the secret, which is shown once). */
export interface TokenInfo {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
