import path from 'node:path'
import { ConfigError, ConfigSchema, loadConfig } from './config'

/** The error loadConfig throws for `env`, or a failure if it does not throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`)
}

/** The variable names a ConfigError message reports, one per line. */
function reported(error: ConfigError): string[] {
  return error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(':')[0]!)
}

test('an empty environment gives the documented defaults', () => {
  // Act
  const config = loadConfig({})
  // Assert: the connection and server defaults (tuning knobs are only checked for being set)
  expect(config).toMatchObject({
    NODE_ENV: 'development',
    PORT: 8080,
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/loyalty',
    REDIS_URL: 'redis://127.0.0.1:6379',
    CLICKHOUSE_DATABASE: 'loyalty',
    DATA_DIR: path.resolve('.data'),
    CLOCK_SKEW_SECONDS: 300,
  })
})

test('every setting but the optional AUTH_SECRET, CLICKHOUSE_URL, METRICS_TOKEN and QUEUE_PREFIX has a default', () => {
  const config = loadConfig({})
  const unset = Object.keys(ConfigSchema.shape).filter((key) => config[key as keyof typeof config] === undefined)
  expect(unset.sort()).toEqual(['AUTH_SECRET', 'CLICKHOUSE_URL', 'METRICS_TOKEN', 'QUEUE_PREFIX'])
})

test('production refuses to start without an AUTH_SECRET; a short one is refused anywhere', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET: required in production/)
  expect(() => loadConfig({ AUTH_SECRET: 'too-short' })).toThrow(/AUTH_SECRET/)
  expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(32) }).AUTH_SECRET).toBe('x'.repeat(32))
})

test('a METRICS_TOKEN shorter than 16 characters is refused', () => {
  expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/)
})

test('without CLICKHOUSE_URL the embedded ClickHouse is used (the URL stays undefined)', () => {
  expect(loadConfig({}).CLICKHOUSE_URL).toBeUndefined()
})

test('an empty variable means unset, as compose files write it', () => {
  const config = loadConfig({ CLICKHOUSE_URL: '', PORT: '' })
  expect(config.CLICKHOUSE_URL).toBeUndefined()
  expect(config.PORT).toBe(8080)
})

test('variables that are set override the defaults, numbers read from their text', () => {
  const config = loadConfig({
    NODE_ENV: 'production',
    AUTH_SECRET: 'a-secret-of-at-least-32-characters!',
    PORT: '3000',
    LOG_LEVEL: 'debug',
    DATABASE_URL: 'postgres://app@db.internal:5432/loyalty_prod',
    CLICKHOUSE_URL: 'http://clickhouse.internal:8123',
    CLICKHOUSE_DATABASE: 'loyalty_prod',
    CLOCK_SKEW_SECONDS: '60',
  })
  expect(config).toMatchObject({
    NODE_ENV: 'production',
    PORT: 3000,
    LOG_LEVEL: 'debug',
    DATABASE_URL: 'postgres://app@db.internal:5432/loyalty_prod',
    CLICKHOUSE_URL: 'http://clickhouse.internal:8123',
    CLICKHOUSE_DATABASE: 'loyalty_prod',
    CLOCK_SKEW_SECONDS: 60,
  })
})

test('every bad variable is named in one error, with the value it had', () => {
  // Arrange
  const env = { PORT: 'abc', CLICKHOUSE_URL: 'notaurl', LOG_LEVEL: 'loud' }
  // Act
  const error = configError(env)
  // Assert
  expect(reported(error).sort()).toEqual(['CLICKHOUSE_URL', 'LOG_LEVEL', 'PORT'])
  expect(error.message).toContain('"abc"')
  expect(error.message).toContain('"notaurl"')
  expect(error.message).toContain('"loud"')
})

test.each([
  ['PORT', '70000'],
  ['PORT', '80.5'],
  ['NODE_ENV', 'staging'],
  ['DATABASE_URL', 'not a url'],
  ['REDIS_URL', 'localhost'],
  ['CLOCK_SKEW_SECONDS', '-1'],
  ['CLOCK_SKEW_SECONDS', '86401'],
  ['SHIP_BATCH_ROWS', '0'],
  ['SHIP_IDLE_MS', '5'],
  ['SHUTDOWN_TIMEOUT_SECONDS', '601'],
])('%s=%s is refused and named', (name, value) => {
  expect(reported(configError({ [name]: value }))).toEqual([name])
})

test.each(['loyalty', 'loyalty_test_1', '_scratch'])('CLICKHOUSE_DATABASE %j, a plain identifier, is accepted', (name) => {
  expect(loadConfig({ CLICKHOUSE_DATABASE: name }).CLICKHOUSE_DATABASE).toBe(name)
})

test.each(['Loyalty', '1loyalty', 'loyalty-prod', 'loyalty;DROP', 'loyalty.db', 'loyalty prod'])(
  'CLICKHOUSE_DATABASE %j, not a plain lower-case identifier, is refused',
  (name) => {
    const error = configError({ CLICKHOUSE_DATABASE: name })
    expect(reported(error)).toEqual(['CLICKHOUSE_DATABASE'])
    expect(error.message).toContain('plain identifier')
  },
)
