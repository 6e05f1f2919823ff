/** Where the tests find Postgres and Redis (the same defaults as the platform's config). */
export const TEST_PG_SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432'
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
export const TEMPLATE_DB = 'loyalty_test_template'

/** Destructive helpers refuse any database whose name does not say it is a test's. */
export function assertTestDatabase(name: string): void {
  if (!/^loyalty_test_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch non-test database ${name}`)
}
