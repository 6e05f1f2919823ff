import { parseArgs } from 'node:util'
import { loadConfig } from '../platform/config'
import { createPostgres, ensureDatabase } from '../platform/postgres'
import { migrate, postgresTarget, readMigrations, SQL_DIR } from '../platform/migrator'
import { createStoresRepo } from './stores.repo'

const USAGE = `usage: npm run admin -- <command>
  store create --code <store number> --name <name>   create a store; prints its first till key once
  store list                                          list stores and their live keys
  key create --store <sto_…>                          issue another till key for a store
  key revoke --key <key_…>                            revoke a key (its tills get 401 from then on)`

/** Store and key administration. Keys are printed once and kept only as hashes. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { code: { type: 'string' }, name: { type: 'string' }, store: { type: 'string' }, key: { type: 'string' } },
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
      default:
        return fail(command ? `unknown command: ${command}` : 'no command given')
    }
  } finally {
    await pg.close()
  }
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
