import { parseArgs } from 'node:util'
import { loadConfig } from '../platform/config'
import { AppError } from '../platform/http/errors'
import { createPostgres, ensureDatabase, type Postgres } from '../platform/postgres'
import { migrate, postgresTarget, readMigrations, SQL_DIR } from '../platform/migrator'
import { createStaffUser, generatePassword, listStaffUsers, setStaffPassword } from '../members/staff-users'
import { CreateStaffUserSchema } from '../members/staff.schemas'
import { PasswordSchema } from '../members/members.schemas'
import { createStoresRepo } from './stores.repo'

const USAGE = `usage: npm run admin -- <command>
  store create --code <store number> --name <name>   create a store; prints its first till key once
  store list                                          list stores and their live keys
  key create --store <sto_…>                          issue another till key for a store
  key revoke --key <key_…>                            revoke a key (its tills get 401 from then on)
  staff create --email <e-mail> --name <name> --role <role> [--role <role>…] [--password <password>]
                                                      create a staff user (roles: admin, support, marketer,
                                                      analyst); without --password one is generated and
                                                      printed once. Bootstraps the first admin.
  staff list                                          list staff users and their roles
  staff set-password --email <e-mail> [--password <password>]
                                                      set a new password (generated if not given) and lift
                                                      a sign-in lockout`

/** The audit log's actor for what this CLI does: an operator at the server, not a staff user. */
const CLI_ACTOR = { type: 'system', id: 'admin-cli' } as const

/**
 * Store, key and staff administration. Keys and generated passwords are printed once and kept
 * only as hashes.
 */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      store: { type: 'string' },
      key: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string', multiple: true },
      password: { type: 'string' },
    },
  })
  const command = positionals.join(' ')
  const config = loadConfig()
  await ensureDatabase(config.DATABASE_URL)
  const pg = createPostgres(config.DATABASE_URL, { max: 2 })
  try {
    await migrate(postgresTarget(pg), readMigrations(`${SQL_DIR}/postgres/migrations`))
    const stores = createStoresRepo(pg)
    switch (command) {
      case 'store create': {
        if (!values.code || !values.name) return fail('store create needs --code and --name')
        const store = await stores.createStore(values.code, values.name)
        const key = await stores.createKey(store.id)
        console.log(JSON.stringify({ store_id: store.id, code: store.code, name: store.name, key_id: key.keyId, api_key: key.token }, null, 2))
        console.error('Keep api_key now: it is stored only as a hash and cannot be shown again.')
        return 0
      }
      case 'store list':
        console.table(await stores.listStores())
        return 0
      case 'key create': {
        if (!values.store) return fail('key create needs --store')
        const key = await stores.createKey(values.store)
        console.log(JSON.stringify({ store_id: values.store, key_id: key.keyId, api_key: key.token }, null, 2))
        return 0
      }
      case 'key revoke':
        if (!values.key) return fail('key revoke needs --key')
        if (!(await stores.revokeKey(values.key))) return fail(`no key ${values.key}`)
        console.log(`revoked ${values.key}`)
        return 0
      case 'staff create':
        return await staffCreate(pg, values)
      case 'staff list':
        console.table((await listStaffUsers(pg)).map((u) => ({ ...u, roles: u.roles.join(',') })))
        return 0
      case 'staff set-password':
        return await staffSetPassword(pg, values)
      default:
        return fail(command ? `unknown command: ${command}` : 'no command given')
    }
  } finally {
    await pg.close()
  }
}

const OPTION_OF: Record<string, string> = { email: '--email', name: '--name', roles: '--role', password: '--password' }

/** `staff create`: the first admin of a fresh install comes from here. */
async function staffCreate(pg: Postgres, values: { email?: string; name?: string; role?: string[]; password?: string }): Promise<number> {
  const generated = values.password === undefined ? generatePassword() : undefined
  const parsed = CreateStaffUserSchema.safeParse({ email: values.email, name: values.name, roles: values.role ?? [], password: values.password ?? generated })
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${OPTION_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`)
    return fail(`staff create: invalid options\n${problems.join('\n')}`)
  }
  try {
    const user = await createStaffUser(pg, parsed.data, { actor: CLI_ACTOR, now: new Date() })
    console.log(JSON.stringify({ user_id: user.id, email: user.email, name: user.name, roles: user.roles, ...(generated ? { password: generated } : {}) }, null, 2))
    if (generated) console.error('Keep password now: it is stored only as a hash and cannot be shown again.')
    return 0
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return fail(`staff create: a staff user with e-mail ${parsed.data.email} exists`)
    throw error
  }
}

/** `staff set-password`: an admin who forgot their password, or a lockout to lift. */
async function staffSetPassword(pg: Postgres, values: { email?: string; password?: string }): Promise<number> {
  if (!values.email) return fail('staff set-password needs --email')
  const generated = values.password === undefined ? generatePassword() : undefined
  const password = PasswordSchema.safeParse(values.password ?? generated)
  if (!password.success) return fail(`staff set-password: --password ${password.error.issues[0]!.message}`)
  const user = await setStaffPassword(pg, values.email, password.data, { actor: CLI_ACTOR, now: new Date() })
  if (!user) return fail(`no staff user with e-mail ${values.email}`)
  console.log(JSON.stringify({ user_id: user.id, email: user.email, ...(generated ? { password: generated } : {}) }, null, 2))
  if (generated) console.error('Keep password now: it is stored only as a hash and cannot be shown again.')
  return 0
}

function fail(message: string): number {
  console.error(`${message}\n\n${USAGE}`)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
