import { runNode } from '../../test/helpers/child-process'
import { createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { hashSecret, parseKey } from './api-keys'
import { createStoresRepo, type StoresRepo } from './stores.repo'

/** `npm run admin -- …` as an operator runs it: a child process on a database of its own. */
let db: TestPostgres
let stores: StoresRepo

beforeAll(async () => {
  db = await createTestPostgres()
  stores = createStoresRepo(db.pg)
})
afterAll(() => db.drop())

const admin = (...args: string[]) => runNode(['services/stores/admin.cli.ts', ...args], { ...process.env, DATABASE_URL: db.url })

interface Created {
  store_id: string
  code: string
  name: string
  key_id: string
  api_key: string
}

const storeCount = async () => Number((await db.pg.query<{ n: string }>('SELECT count(*) AS n FROM stores'))[0]!.n)

describe('store create', () => {
  let created: Created

  beforeAll(async () => {
    const { code, stdout, stderr } = await admin('store', 'create', '--code', '0417', '--name', 'Harbour Street')
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Keep api_key') })
    created = JSON.parse(stdout) as Created
  })

  test('prints the store and its first key as JSON', () => {
    expect(created).toEqual({
      store_id: expect.stringMatching(/^sto_[A-Za-z0-9]+$/),
      code: '0417',
      name: 'Harbour Street',
      key_id: expect.stringMatching(/^key_/),
      api_key: expect.stringMatching(/^lsk_key_/),
    })
    expect(parseKey(created.api_key)?.keyId).toBe(created.key_id)
  })

  test('the key works for that store', async () => {
    expect(await stores.verifyKey(created.api_key)).toMatchObject({ storeId: created.store_id, keyId: created.key_id })
  })

  test('the key is stored only as a hash of its secret', async () => {
    const { secret } = parseKey(created.api_key)!
    const rows = await db.pg.query<{ secret_hash: string }>('SELECT secret_hash FROM store_api_keys WHERE id = $1', [created.key_id])
    expect(rows).toHaveLength(1)
    const hash = rows[0]!.secret_hash
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hash).not.toBe(secret)
    expect(hash).toBe(hashSecret(secret))

    const [exact] = await db.pg.query<{ n: string }>('SELECT count(*) AS n FROM store_api_keys WHERE secret_hash = $1 OR id = $1', [created.api_key])
    expect(Number(exact!.n)).toBe(0)
    // Nor the secret anywhere in any column of any row.
    const [anywhere] = await db.pg.query<{ n: string }>("SELECT count(*) AS n FROM store_api_keys k WHERE k::text LIKE '%' || $1 || '%'", [secret])
    expect(Number(anywhere!.n)).toBe(0)
  })

  test('store list shows it', async () => {
    const { code, stdout } = await admin('store', 'list')
    expect(code).toBe(0)
    const row = stdout.split('\n').find((line) => line.includes(created.store_id))
    expect(row).toBeDefined()
    expect(row).toContain('0417')
    expect(row).toContain('Harbour Street')
  })

  describe('keys', () => {
    let second: { store_id: string; key_id: string; api_key: string }

    beforeAll(async () => {
      const { code, stdout } = await admin('key', 'create', '--store', created.store_id)
      expect(code).toBe(0)
      second = JSON.parse(stdout) as typeof second
    })

    test('key create issues a second, different, working key for the store', async () => {
      expect(second.store_id).toBe(created.store_id)
      expect(second.key_id).not.toBe(created.key_id)
      expect(second.api_key).not.toBe(created.api_key)
      expect(await stores.verifyKey(second.api_key)).toMatchObject({ storeId: created.store_id, keyId: second.key_id })
      expect(await stores.verifyKey(created.api_key)).toMatchObject({ storeId: created.store_id })
    })

    test('key revoke refuses that key from then on and leaves the other working', async () => {
      const { code, stdout } = await admin('key', 'revoke', '--key', second.key_id)
      expect(code).toBe(0)
      expect(stdout).toContain(`revoked ${second.key_id}`)
      expect(await stores.verifyKey(second.api_key)).toBeNull()
      expect(await stores.verifyKey(created.api_key)).toMatchObject({ storeId: created.store_id })

      const list = await admin('store', 'list')
      const row = list.stdout.split('\n').find((line) => line.includes(created.store_id))
      expect(row).toMatch(/│\s*1\s*│\s*$/) // live_keys, the last column: one left
    })

    test('revoking a key that does not exist exits 2 and says so', async () => {
      const { code, stderr } = await admin('key', 'revoke', '--key', 'key_doesnotexist0')
      expect(code).toBe(2)
      expect(stderr).toContain('no key key_doesnotexist0')
    })
  })
})

describe('usage errors', () => {
  test('an unknown command exits 2 with the usage text', async () => {
    const { code, stdout, stderr } = await admin('store', 'destroy')
    expect(code).toBe(2)
    expect(stderr).toContain('unknown command: store destroy')
    expect(stderr).toContain('usage: npm run admin')
    expect(stdout).toBe('')
  })

  test('no command exits 2 with the usage text', async () => {
    const { code, stderr } = await admin()
    expect(code).toBe(2)
    expect(stderr).toContain('usage: npm run admin')
  })

  test('store create without --code exits 2 and creates nothing', async () => {
    const before = await storeCount()
    const { code, stdout, stderr } = await admin('store', 'create', '--name', 'No Code')
    expect(code).toBe(2)
    expect(stderr).toContain('store create needs --code and --name')
    expect(stderr).toContain('usage: npm run admin')
    expect(stdout).toBe('')
    expect(await storeCount()).toBe(before)
  })

  test('key create without --store exits 2', async () => {
    const { code, stderr } = await admin('key', 'create')
    expect(code).toBe(2)
    expect(stderr).toContain('key create needs --store')
  })
})
