import { runNode } from '../../test/helpers/child-process'
import { createTestPostgres, type TestPostgres } from '../../test/helpers/databases'
import { verifySecret } from '../platform/auth/passwords'
import { signInStaff } from '../members/staff-sign-in'
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

describe('staff', () => {
  const staffRow = async (email: string) =>
    (await db.pg.query<{ id: string; roles: string[]; password_hash: string; locked_until: Date | null }>(
      'SELECT id, roles, password_hash, locked_until FROM staff_users WHERE lower(email) = lower($1)',
      [email],
    ))[0]
  const signIn = (email: string, password: string) =>
    signInStaff({ pg: db.pg, clock: () => new Date(), maxFailures: 5, lockoutSeconds: 900 }, email, password)

  test('staff create bootstraps an admin: a generated password printed once, which signs in; audited as the CLI', async () => {
    const { code, stdout, stderr } = await admin('staff', 'create', '--email', 'Boss@Shop.example', '--name', 'The Boss', '--role', 'admin')
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Keep password now') })
    const printed = JSON.parse(stdout)
    expect(printed).toEqual({ user_id: expect.stringMatching(/^usr_/), email: 'boss@shop.example', name: 'The Boss', roles: ['admin'], password: expect.any(String) })
    expect(printed.password.length).toBeGreaterThanOrEqual(12)
    const row = await staffRow('boss@shop.example')
    expect(row!.password_hash).not.toContain(printed.password)
    expect(await verifySecret(printed.password, row!.password_hash)).toBe(true)
    expect(await signIn('boss@shop.example', printed.password)).toMatchObject({ outcome: 'signed_in', user: { id: printed.user_id, roles: ['admin'] } })
    const [entry] = await db.pg.query('SELECT actor_type, actor_id, action FROM audit_log WHERE entity_id = $1', [printed.user_id])
    expect(entry).toEqual({ actor_type: 'system', actor_id: 'admin-cli', action: 'staff.create' })
  })

  test('staff create with --password and several roles uses that password and does not print it', async () => {
    const { code, stdout, stderr } = await admin(
      'staff', 'create', '--email', 'desk@shop.example', '--name', 'Desk', '--role', 'support', '--role', 'marketer', '--password', 'chosen by the operator',
    )
    expect(code).toBe(0)
    expect(stderr).not.toContain('Keep password')
    expect(stdout).not.toContain('chosen by the operator')
    expect(JSON.parse(stdout).roles).toEqual(['support', 'marketer'])
    expect(await verifySecret('chosen by the operator', (await staffRow('desk@shop.example'))!.password_hash)).toBe(true)
  })

  test('invalid options exit 2 naming each option, and create nothing', async () => {
    const { code, stdout, stderr } = await admin('staff', 'create', '--email', 'bad', '--name', 'Bad', '--password', 'short')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('--email:')
    expect(stderr).toContain('--role:')
    expect(stderr).toContain('--password: must be at least 12 characters')
    expect(stderr).toContain('usage: npm run admin')
    expect(await db.pg.query("SELECT 1 FROM staff_users WHERE name = 'Bad'")).toHaveLength(0)
  })

  test('an e-mail already in use exits 2', async () => {
    const { code, stderr } = await admin('staff', 'create', '--email', 'BOSS@shop.example', '--name', 'Again', '--role', 'analyst')
    expect(code).toBe(2)
    expect(stderr).toContain('a staff user with e-mail boss@shop.example exists')
  })

  test('staff list shows users and their roles', async () => {
    const { code, stdout } = await admin('staff', 'list')
    expect(code).toBe(0)
    const row = stdout.split('\n').find((line) => line.includes('desk@shop.example'))
    expect(row).toContain('support,marketer')
    expect(stdout).not.toContain('scrypt$')
  })

  test('staff set-password sets a new password and lifts a lockout', async () => {
    await db.pg.query("UPDATE staff_users SET failed_sign_ins = 2, locked_until = now() + interval '1 hour' WHERE email = 'desk@shop.example'")
    const { code, stdout } = await admin('staff', 'set-password', '--email', 'desk@shop.example')
    expect(code).toBe(0)
    const { password } = JSON.parse(stdout)
    const row = await staffRow('desk@shop.example')
    expect(row!.locked_until).toBeNull()
    expect(await verifySecret(password, row!.password_hash)).toBe(true)
    expect(await verifySecret('chosen by the operator', row!.password_hash)).toBe(false)
    expect((await admin('staff', 'set-password', '--email', 'nobody@shop.example')).code).toBe(2)
  })

  test('the usage text lists the staff commands', async () => {
    const { stderr } = await admin()
    expect(stderr).toContain('staff create --email')
    expect(stderr).toContain('staff set-password')
  })
})
