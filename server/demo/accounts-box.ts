/**
 * The box the command line prints once after seeding the demo people: where the password comes
 * from (or the generated one, shown this once) and a few example accounts per role. Written to
 * stdout by the CLI only, never through the logger.
 */
import { ROLE_TITLES } from '../access/model.ts';
import { DEPARTMENTS } from './departments.ts';
import { DEMO_PEOPLE, EXAMPLE_ACCOUNTS, type PeopleReport } from './people.ts';

/** Columns a character takes in a terminal: 2 for CJK and full-width forms, else 1. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6);
    w += wide ? 2 : 1;
  }
  return w;
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - displayWidth(s)));

/**
 * The text of the box (lines ending in "\n"), or '' when no account was created now (nothing new
 * to tell: existing accounts keep their password).
 */
export function demoAccountsBox(r: PeopleReport): string {
  if (!r.created) return '';
  const password = r.oneTimePassword();
  const lines: string[] = [
    `Demo accounts: ${r.created} synthetic people of the demo county${r.existing ? ` (${r.existing} existed already and keep their password)` : ''}.`,
    password
      ? `Password of every demo account: ${password}`
      : 'Password of every demo account: the value of YITU_DEMO_PASSWORD.',
  ];
  if (password) lines.push('Shown this once, stored only as a hash. Set YITU_DEMO_PASSWORD to choose it.', '演示账号密码只显示这一次，仅以哈希存储。');
  else lines.push('演示账号密码为 YITU_DEMO_PASSWORD 的值。');
  lines.push('');
  for (const username of EXAMPLE_ACCOUNTS) {
    const who = DEMO_PEOPLE.find((x) => x.username === username);
    if (!who) continue;
    const dept = DEPARTMENTS.find((d) => d.id === who.department);
    const roles = who.roles.map((role) => ROLE_TITLES[role].en.toLowerCase()).join(', ');
    lines.push(`${pad(username, 13)} ${pad(who.displayName, 7)} ${pad(roles, 28)} ${dept?.nameZh ?? who.department}`);
  }
  const width = Math.max(...lines.map(displayWidth));
  const bar = '─'.repeat(width + 2);
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${pad(l, width)} │`), `└${bar}┘`].map((l) => `${l}\n`).join('');
}
