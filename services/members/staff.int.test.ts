import { lockWaiters } from '../../test/helpers/locks'
import { verifySecret } from '../platform/auth/passwords'
import { createPostgres } from '../platform/postgres'
import { makeMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/** Staff sign-in and staff user administration through HTTP (docs/members.md). */
let platform: TestPlatform
let now = new Date()
let admin: Awaited<ReturnType<TestPlatform['createStaff']>>

const MAX_FAILURES = 5
const LOCKOUT_SECONDS = 600

beforeAll(async () => {
  platform = await startTestPlatform({ clock: () => now, config: { SIGN_IN_MAX_FAILURES: MAX_FAILURES, SIGN_IN_LOCKOUT_SECONDS: LOCKOUT_SECONDS } })
  admin = await platform.createStaff(['admin'])
})
afterAll(() => platform.close())

const signIn = (email: string, password: string) => platform.request('POST', '/v1/staff/sessions', { body: { email, password } })
const auditOf = (entityId: string) =>
  platform.db.pg.query<{ action: string; actor_type: string; actor_id: string; before: any; after: any }>(
    'SELECT action, actor_type, actor_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [entityId],
  )

describe('POST /v1/staff/sessions', () => {
  test('the right password gives a token that works on staff routes, with the user and its expiry', async () => {
    const staff = await platform.createStaff(['admin'], 'correct horse battery')
    const res = await signIn(staff.email.toUpperCase(), 'correct horse battery')
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body.user).toEqual({ id: staff.userId, email: staff.email, name: 'Staff admin', roles: ['admin'] })
    expect(Date.parse(body.expires_at)).toBe(Math.floor(now.getTime() / 1000) * 1000 + 28_800_000)
    expect(platform.tokens.verify(body.token)).toMatchObject({ sub: staff.userId, kind: 'staff' })
    expect((await platform.request('GET', '/v1/staff/users', { token: body.token })).status).toBe(200)
  })

  test('a wrong password and an unknown e-mail get the same 401', async () => {
    const staff = await platform.createStaff(['support'])
    const wrong = await signIn(staff.email, 'not the password')
    const unknown = await signIn('nobody@staff.example', 'not the password')
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    const [a, b] = [await json(wrong), await json(unknown)]
    expect(a.detail).toBe('the e-mail or password is wrong')
    expect(b.detail).toBe(a.detail)
    expect(b.code).toBe(a.code)
  })

  test('an unknown e-mail takes about as long as a wrong password (no shortcut without a hash check)', async () => {
    const staff = await platform.createStaff(['support'])
    const time = async (email: string) => {
      const started = performance.now()
      await signIn(email, 'not the password')
      return performance.now() - started
    }
    await time('warm-up@staff.example')
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 2; i++) {
      known.push(await time(staff.email))
      unknown.push(await time(`nobody-${i}@staff.example`))
    }
    // scrypt costs tens of ms; an answer without it would take about 1 ms.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.4)
  })

  test(`${MAX_FAILURES} wrong passwords in a row lock the account (429 with Retry-After), even for the right password, until the lockout ends`, async () => {
    const staff = await platform.createStaff(['support'], 'the right password')
    for (let i = 1; i < MAX_FAILURES; i++) expect((await signIn(staff.email, 'wrong')).status).toBe(401)
    const locking = await signIn(staff.email, 'wrong')
    expect(locking.status).toBe(429)
    expect(locking.headers.get('retry-after')).toBe(String(LOCKOUT_SECONDS))
    expect(locking.headers.get('content-type')).toContain('application/problem+json')

    now = new Date(now.getTime() + 60_000)
    const right = await signIn(staff.email, 'the right password')
    expect(right.status).toBe(429)
    expect(right.headers.get('retry-after')).toBe(String(LOCKOUT_SECONDS - 60))

    now = new Date(now.getTime() + LOCKOUT_SECONDS * 1000)
    expect((await signIn(staff.email, 'the right password')).status).toBe(201)
  })

  test(`20 guesses at once are checked at most ${MAX_FAILURES} times: the right password sent last among them is refused, and stays refused`, async () => {
    const staff = await platform.createStaff(['support'], 'the right password')
    // The test holds the staff row on its own connections, so all 20 guesses are in flight before
    // any is counted or recorded; without it the requests trickle in and the race may not show.
    const side = createPostgres(platform.db.url, { max: 2 })
    let guesses: Promise<Response>[]
    try {
      guesses = await side.transaction(async (tx) => {
        await tx.query('SELECT 1 FROM staff_users WHERE id = $1 FOR UPDATE', [staff.userId])
        const wrong = Array.from({ length: 19 }, (_, i) => signIn(staff.email, `wrong guess ${i}`))
        await lockWaiters(side, 19)
        const right = signIn(staff.email, 'the right password')
        await lockWaiters(side, 20)
        return [...wrong, right]
      })
    } finally {
      await side.close()
    }
    const statuses = (await Promise.all(guesses)).map((r) => r.status)
    // Counted before checked: the first MAX_FAILURES - 1 wrong guesses are 401, the one that
    // reaches the limit says locked at once, the rest (the right password too) are refused unchecked.
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES - 1)
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - (MAX_FAILURES - 1))
    expect(statuses[19]).toBe(429)
    const right = await signIn(staff.email, 'the right password')
    expect(right.status).toBe(429)
    expect(right.headers.get('retry-after')).toBe(String(LOCKOUT_SECONDS))
  })

  test('a successful sign-in resets the count of failures', async () => {
    const staff = await platform.createStaff(['support'], 'the right password')
    for (let i = 1; i < MAX_FAILURES; i++) expect((await signIn(staff.email, 'wrong')).status).toBe(401)
    expect((await signIn(staff.email, 'the right password')).status).toBe(201)
    for (let i = 1; i < MAX_FAILURES; i++) expect((await signIn(staff.email, 'wrong')).status).toBe(401)
    expect((await signIn(staff.email, 'the right password')).status).toBe(201)
  })

  test('a disabled user cannot sign in', async () => {
    const staff = await platform.createStaff(['support'], 'the right password')
    await platform.db.pg.query('UPDATE staff_users SET disabled_at = now() WHERE id = $1', [staff.userId])
    const res = await signIn(staff.email, 'the right password')
    expect(res.status).toBe(401)
    expect((await json(res)).detail).toBe('the e-mail or password is wrong')
  })

  test('a body without e-mail and password is a 400 naming both', async () => {
    const res = await platform.request('POST', '/v1/staff/sessions', { body: { user: 'x' } })
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort()
    expect(paths).toEqual(['$.email', '$.password', '$.user'])
  })
})

describe('staff users (admin only)', () => {
  test('an admin creates a user who can then sign in with the given password; the creation is audited without the password', async () => {
    const res = await platform.request('POST', '/v1/staff/users', {
      token: admin.token,
      body: { email: 'Dana@Shop.example', name: 'Dana', roles: ['support', 'marketer'], password: 'a long enough password' },
    })
    expect(res.status).toBe(201)
    const user = await json(res)
    expect(user).toMatchObject({ id: expect.stringMatching(/^usr_[0-9a-f]{32}$/), email: 'dana@shop.example', name: 'Dana', roles: ['support', 'marketer'], disabled_at: null })
    expect(user.password_hash).toBeUndefined()
    expect((await signIn('dana@shop.example', 'a long enough password')).status).toBe(201)

    const [row] = await platform.db.pg.query<{ password_hash: string }>('SELECT password_hash FROM staff_users WHERE id = $1', [user.id])
    expect(await verifySecret('a long enough password', row!.password_hash)).toBe(true)
    const entries = await auditOf(user.id)
    expect(entries).toEqual([expect.objectContaining({ action: 'staff.create', actor_type: 'staff', actor_id: admin.userId, before: null })])
    expect(entries[0]!.after).toMatchObject({ email: 'dana@shop.example', roles: ['support', 'marketer'] })
    expect(JSON.stringify(entries)).not.toContain('a long enough password')
    expect(JSON.stringify(entries)).not.toContain(row!.password_hash)
  })

  test('a second user with the same e-mail (any case) is a 409', async () => {
    const body = { email: 'twice@shop.example', name: 'Twice', roles: ['analyst'], password: 'a long enough password' }
    expect((await platform.request('POST', '/v1/staff/users', { token: admin.token, body })).status).toBe(201)
    const again = await platform.request('POST', '/v1/staff/users', { token: admin.token, body: { ...body, email: 'TWICE@shop.example' } })
    expect(again.status).toBe(409)
    expect((await json(again)).errors).toEqual([{ path: '$.email', message: 'is taken' }])
  })

  test('bad input is a 400 naming each problem by its path', async () => {
    const res = await platform.request('POST', '/v1/staff/users', {
      token: admin.token,
      body: { email: 'not-an-email', name: '', roles: ['admin', 'janitor'], password: 'short' },
    })
    expect(res.status).toBe(400)
    const problems = (await json(res)).errors
    expect(problems.map((e: { path: string }) => e.path).sort()).toEqual(['$.email', '$.name', '$.password', '$.roles[1]'])
    expect(problems.find((e: { path: string }) => e.path === '$.password').message).toContain('12')
  })

  test('the list shows every user with roles and never a password hash', async () => {
    const res = await platform.request('GET', '/v1/staff/users', { token: admin.token })
    expect(res.status).toBe(200)
    const { users } = await json(res)
    expect(users.find((u: { id: string }) => u.id === admin.userId)).toMatchObject({ email: admin.email, roles: ['admin'] })
    expect(JSON.stringify(users)).not.toContain('scrypt$')
  })

  test('an admin changes roles and disables a user; the user stops at once; both changes are audited with before and after', async () => {
    const staff = await platform.createStaff(['analyst'])
    const patched = await platform.request('PATCH', `/v1/staff/users/${staff.userId}`, { token: admin.token, body: { roles: ['support'] } })
    expect(patched.status).toBe(200)
    expect((await json(patched)).roles).toEqual(['support'])
    expect((await platform.request('GET', '/v1/members?q=abc', { token: staff.token })).status).toBe(200)

    const disabled = await platform.request('PATCH', `/v1/staff/users/${staff.userId}`, { token: admin.token, body: { disabled: true } })
    expect((await json(disabled)).disabled_at).toBe(now.toISOString())
    expect((await platform.request('GET', '/v1/members?q=abc', { token: staff.token })).status).toBe(401)

    const entries = await auditOf(staff.userId)
    expect(entries.map((e) => e.action)).toEqual(['staff.update', 'staff.update'])
    expect(entries[0]).toMatchObject({ actor_id: admin.userId, before: { roles: ['analyst'] }, after: { roles: ['support'] } })
    expect(entries[1]).toMatchObject({ before: { disabled_at: null }, after: { disabled_at: now.toISOString() } })
  })

  test('the last enabled admin cannot be demoted or disabled', async () => {
    // A platform of its own, so this admin really is the only one.
    const alone = await startTestPlatform()
    try {
      const only = await alone.createStaff(['admin'])
      for (const body of [{ roles: ['support'] }, { disabled: true }]) {
        const res = await alone.request('PATCH', `/v1/staff/users/${only.userId}`, { token: only.token, body })
        expect(res.status).toBe(409)
      }
      const [row] = await alone.db.pg.query('SELECT roles, disabled_at FROM staff_users WHERE id = $1', [only.userId])
      expect(row).toEqual({ roles: ['admin'], disabled_at: null })
    } finally {
      await alone.close()
    }
  })

  test('an unknown user is a 404; an empty change is a 400', async () => {
    expect((await platform.request('PATCH', '/v1/staff/users/usr_nobody', { token: admin.token, body: { name: 'X' } })).status).toBe(404)
    const empty = await platform.request('PATCH', `/v1/staff/users/${admin.userId}`, { token: admin.token, body: {} })
    expect(empty.status).toBe(400)
    expect((await json(empty)).errors).toEqual([{ path: '$', message: 'give at least one field to change' }])
  })

  test.each([['support'], ['marketer'], ['analyst']] as const)('a user with only the %s role gets 403 on every staff user route', async (role) => {
    const staff = await platform.createStaff([role])
    const body = { email: `x-${role}@shop.example`, name: 'X', roles: ['admin'], password: 'a long enough password' }
    expect((await platform.request('POST', '/v1/staff/users', { token: staff.token, body })).status).toBe(403)
    expect((await platform.request('GET', '/v1/staff/users', { token: staff.token })).status).toBe(403)
    expect((await platform.request('PATCH', `/v1/staff/users/${staff.userId}`, { token: staff.token, body: { roles: ['admin'] } })).status).toBe(403)
    const [row] = await platform.db.pg.query('SELECT roles FROM staff_users WHERE id = $1', [staff.userId])
    expect(row!.roles).toEqual([role])
  })

  test('no token, or a member token, is a 401', async () => {
    const member = await makeMember(platform.db.pg)
    expect((await platform.request('GET', '/v1/staff/users')).status).toBe(401)
    expect((await platform.request('GET', '/v1/staff/users', { token: platform.memberToken(member.memberId) })).status).toBe(401)
    expect((await platform.request('POST', '/v1/staff/users', { body: {} })).status).toBe(401)
  })
})
