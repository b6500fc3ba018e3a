import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { YituError } from '../platform/errors.ts';

/**
 * Passwords are hashed with scrypt (node:crypto; memory-hard, no native dependency), stored as
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so that the cost can be raised later and old hashes
 * still verify.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash of a random password: verified against when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | null = null;

/**
 * True when `password` matches `stored`. With `stored` null (unknown user, no password set) a
 * dummy hash is verified all the same and false returned, so that the answer takes as long.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const target = stored ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const parts = target.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const key = await scryptAsync(password, salt, n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected) && stored !== null;
}

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

/** Passwords that are refused whatever their length (the most common ones, lower-cased). */
const COMMON = new Set([
  '1234567890', '12345678910', '0123456789', '1111111111', '0000000000', '1234512345', 'qwertyuiop', 'password123',
  'password1234', 'passw0rd123', 'iloveyou123', 'abc1234567', 'abcd123456', 'a123456789', 'qwerty1234', '1q2w3e4r5t',
  'zaq12wsxcde', 'administrator', 'admin123456', 'admin@12345', 'welcome123', 'yitu123456', 'woaini1314', '5201314520',
  'aa123456789', 'qq123456789', '147258369a', 'asdfghjkl1',
]);

/**
 * Checks a new password against the rules (after NIST SP 800-63B: length over composition): at
 * least 10 characters, at most 256, not only one repeated character, not a common password, and
 * not containing the user name. Throws YITU_ERR_PASSWORD_WEAK saying which rule failed.
 */
export function checkPasswordRules(password: string, username: string): void {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`it must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 256) problems.push('it must have at most 256 characters');
  if (/^(.)\1*$/su.test(password)) problems.push('it must not be one character repeated');
  if (COMMON.has(password.toLowerCase())) problems.push('it is one of the most common passwords');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('it must not contain the user name');
  if (problems.length) throw new YituError('YITU_ERR_PASSWORD_WEAK', `Choose another password: ${problems.join('; ')}.`);
}

/** A random password that meets the rules (printed once for the first administrator). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** A random opaque secret (session ids, CSRF tokens, API token secrets). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a secret, hex: what is stored for session ids and API tokens (high-entropy, so no salt is needed). */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
