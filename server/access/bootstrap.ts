import { YituError } from '../platform/errors.ts';
import type { Services } from '../services.ts';
import { ANONYMOUS } from './model.ts';
import { generatePassword } from './passwords.ts';

/** User name of the first administrator. */
export const FIRST_ADMIN = 'admin';

/** What {@link ensureFirstAdministrator} did. */
export interface BootstrapResult {
  /** True when the administrator was created now. */
  created: boolean;
  /** True when its password was generated (and shown through `announce`). */
  generated: boolean;
}

/** The box that shows a generated password once. */
export function passwordBox(username: string, password: string): string {
  const lines = [`Yitu administrator: ${username} / ${password} — shown once; change it after signing in`, 'Yitu 管理员密码只显示这一次：登录后请修改。'];
  const width = Math.max(...lines.map((l) => [...l].length + [...l].filter((c) => c.charCodeAt(0) > 0x2e80).length));
  const pad = (l: string) => l + ' '.repeat(width - [...l].length - [...l].filter((c) => c.charCodeAt(0) > 0x2e80).length);
  return [`┌${'─'.repeat(width + 2)}┐`, ...lines.map((l) => `│ ${pad(l)} │`), `└${'─'.repeat(width + 2)}┘`, ''].join('\n');
}

/**
 * Creates the first administrator (`admin`, role administrator) when there is no user at all:
 * with `config.adminPassword` (YITU_ADMIN_PASSWORD) when set, otherwise with a generated password
 * that must be changed at the first sign-in and is handed to `announce` once (a box on stdout
 * for `yitu serve`) — never to the logger. Runs after the migrations at every start; does nothing
 * once any user exists, also when several processes start at once.
 */
export async function ensureFirstAdministrator(services: Services, announce: (text: string) => void): Promise<BootstrapResult> {
  const { db, accounts, audit, config } = services;
  const none = { created: false, generated: false };
  const n = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM yitu.users) AS any');
  if (n.rows[0].any) return none;
  const generated = config.adminPassword === undefined;
  const password = config.adminPassword ?? generatePassword();
  try {
    const user = await accounts.createUser({
      username: FIRST_ADMIN,
      displayName: 'Administrator',
      roles: ['administrator'],
      password,
      skipRules: generated,
      mustChangePassword: generated,
    });
    await audit.record({ principal: ANONYMOUS, actorName: 'yitu', action: 'user.create', targetType: 'user', targetId: user.id, details: { username: FIRST_ADMIN, roles: ['administrator'], bootstrap: true } });
  } catch (e) {
    // Another process created it first (or someone made a user named admin).
    if ((e instanceof YituError && e.code === 'YITU_ERR_USER_EXISTS') || (e as { code?: string }).code === '23505') return none;
    if (e instanceof YituError && e.code === 'YITU_ERR_PASSWORD_WEAK') {
      throw new YituError('YITU_ERR_CONFIG_INVALID', `YITU_ADMIN_PASSWORD: ${e.message}`);
    }
    throw e;
  }
  if (generated) announce(passwordBox(FIRST_ADMIN, password));
  return { created: true, generated };
}
