import type { AuditEvent, Department, Grant, Role, TokenInfo, User } from '../../../server/access/model.ts';

/** An API token as listed (the server's TokenInfo). */
export type ApiTokenInfo = TokenInfo;

// The access model's shapes are the server's own (server/access/model.ts), not a copy.
export type { AuditEvent, Department, Grant, Role, User } from '../../../server/access/model.ts';
export { ROLES, ROLE_TITLES } from '../../../server/access/model.ts';

/** What a signed-in user may do beyond reading (`GET /auth/session` → `permissions`). */
export interface Permissions {
  administer: boolean;
  readAudit: boolean;
}

/** A signed-in browser session. */
export interface SignedIn {
  authenticated: true;
  user: User;
  department: Department | null;
  csrfToken: string;
  expiresAt: string;
  permissions: Permissions;
}

/** The browser's session: anonymous, or signed in. */
export type SessionState = { authenticated: false } | SignedIn;


// Sharing, notifications and usage: the server's shapes too.
export type { SharingCatalogEntry as SharingEntry, ShareRequest } from '../../../server/access/sharing-service.ts';
export type { Notification } from '../../../server/access/notifications.ts';
export type { DatasetUsage as Usage, UsageFigures } from '../../../server/access/audit-service.ts';

/** True when the user holds `role` (administrators hold every right, not every role). */
export function hasRole(s: SessionState | null, role: Role): boolean {
  return !!s && s.authenticated && s.user.roles.includes(role);
}

/** True when the session belongs to an administrator. */
export function isAdministrator(s: SessionState | null): boolean {
  return !!s && s.authenticated && (s.permissions.administer || s.user.roles.includes('administrator'));
}
