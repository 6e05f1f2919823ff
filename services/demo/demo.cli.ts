import { parseArgs } from 'node:util'
import path from 'node:path'
import { createPostgres } from '../platform/postgres'
import { prepareDemoTarget, startDemoPlatform, type DemoPlatform } from './demo-platform'
import { seedDemo, type DemoResult } from './demo-seed'

const USAGE = `usage: npm run demo -- [options]
  --members <n>       demo cards (default 3000; about 70 % registered)
  --stores <n>        stores, 1 to 10 (default 8)
  --seed <n>          the generator's seed (default 20261123): the same seed gives the same swipes
  --until <date>      the day the demo data ends (default today, UTC); with --seed, a reproducible run
  --days-after <n>    days posted after the campaign's launch (default 28)
  --database <name>   Postgres and ClickHouse database (default loyalty_demo)
  --data-dir <dir>    embedded ClickHouse's files and the platform log (default ./.data/demo)
  --port <n>          the platform's port (default PORT or 8080)
  --reset             wipe a demo database that is not empty (it is refused otherwise)`

const DAY = 86_400_000

/**
 * `npm run demo`: the platform on a demo database, a believable supermarket posted through its
 * API, and the sign-ins to look at it; runs until Ctrl-C.
 */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: 'string', default: '3000' },
      stores: { type: 'string', default: '8' },
      seed: { type: 'string', default: '20261123' },
      until: { type: 'string' },
      'days-after': { type: 'string', default: '28' },
      database: { type: 'string', default: 'loyalty_demo' },
      'data-dir': { type: 'string', default: path.join('.data', 'demo') },
      port: { type: 'string', default: process.env.PORT || '8080' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) return usage('', 0)
  const number = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`)
    return n
  }
  const today = Date.parse(new Date().toISOString().slice(0, 10))
  const until = values.until ? Date.parse(`${values.until}T00:00:00Z`) : today
  if (Number.isNaN(until) || until > today) return usage('--until must be a date (YYYY-MM-DD), not after today', 2)
  const daysAfter = number('days-after', values['days-after'], 1, 120)
  const options = {
    members: number('members', values.members, 10, 1_000_000),
    stores: number('stores', values.stores, 1, 10),
    seed: number('seed', values.seed, 0, 2 ** 31),
    launchDay: new Date(until - daysAfter * DAY),
    daysAfter,
  }
  const base = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/loyalty')
  base.pathname = `/${values.database}`
  const target = { databaseUrl: base.toString(), database: values.database, dataDir: path.resolve(values['data-dir']), redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379' }

  const started = performance.now()
  const log = (message: string) => console.log(`[demo ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`)
  await prepareDemoTarget(target, values.reset)
  log(`starting the platform on database ${target.database}, data in ${target.dataDir} (log: ${path.join(target.dataDir, 'platform.log')})`)
  const platform = await startDemoPlatform(target, number('port', values.port, 1, 65535))
  const stop = stopOnSignals(platform)
  const pg = createPostgres(target.databaseUrl, { max: 4 })
  let result: DemoResult
  try {
    log(`platform ready at ${platform.baseUrl}; seed ${options.seed}, ${options.members} cards, ${options.stores} stores, launch ${options.launchDay.toISOString().slice(0, 10)}`)
    result = await seedDemo({ pg, baseUrl: platform.baseUrl, log }, options)
  } catch (error) {
    const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : ''
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}${cause}; platform log: ${platform.logFile}`)
    stop(1)
    return 1
  } finally {
    await pg.close()
  }
  printSummary(platform, result, (performance.now() - started) / 1000)
  await new Promise<void>((resolve) => platform.child.once('exit', () => resolve()))
  return 0
}

function printSummary(platform: DemoPlatform, result: DemoResult, seconds: number): void {
  const port = new URL(platform.baseUrl).port
  const report = result.report as {
    groups?: Record<'treated' | 'holdout', { revenue_per_member: string }>
    incremental?: { revenue_per_member?: { estimate: number | null; ci95: unknown } }
  }
  const uplift = report.incremental?.revenue_per_member
  const perMember = report.groups
    ? `revenue per member ${report.groups.treated.revenue_per_member} treated vs ${report.groups.holdout.revenue_per_member} holdout; uplift ${uplift?.estimate ?? '–'} (95 % interval ${JSON.stringify(uplift?.ci95 ?? null)})`
    : ''
  console.log(`
Demo supermarket ready in ${seconds.toFixed(0)} s.
${result.steps.map((s) => `  ${String(s.seconds).padStart(7)} s  ${s.step}`).join('\n')}

  Swipes recorded:  ${result.swipes.accepted}
  Campaign ${result.campaign.id}:       ${result.campaign.treated} treated, ${result.campaign.holdout} holdout, ${result.campaign.issued} coupons issued, ${result.campaign.redeemed} redeemed
  Its report:       ${perMember} (GET /v1/campaigns/${result.campaign.id}/report)

  Console:          http://localhost:${port}/console/
  Staff sign-in:    ${result.staff.email}  /  ${result.staff.password}   (admin, marketer; shown once)
  Member sign-in:   card ${result.member.card_number}, PIN ${result.member.pin}  (${result.member.name})
  API:              http://localhost:${port}/openapi.json

The platform keeps running; Ctrl-C stops it. Run again with --reset to start over.`)
}

/** Ctrl-C: the platform shuts down in order (it flushes its journal), then this process ends. */
function stopOnSignals(platform: DemoPlatform): (code: number) => void {
  let stopping = false
  const stop = (code: number) => {
    if (stopping) return
    stopping = true
    console.log('\nstopping the platform…')
    void platform.stop().then(() => process.exit(code))
  }
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  platform.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`the platform exited (${code}); see ${platform.logFile}`)
      process.exit(1)
    }
  })
  return stop
}

function usage(message: string, code: number): number {
  console.error(message ? `${message}\n\n${USAGE}` : USAGE)
  return code
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code)
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
