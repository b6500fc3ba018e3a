/** The PostgreSQL server the tests use (a superuser URL; each test file gets its own database). */
export function testPgUrl(): string {
  return process.env.YITU_TEST_DATABASE_URL ?? 'postgres://postgres:yitu@127.0.0.1:5432/postgres';
}
