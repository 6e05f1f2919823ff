import { hashSecret } from '../platform/auth/passwords'
import { makeMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

let platform: TestPlatform

beforeAll(async () => {
  // A short lockout, so a test can wait for it to end (2 s, not 1: a busy machine must not let
  // it lapse between the failures and the check).
  platform = await startTestPlatform({ config: { SIGN_IN_MAX_FAILURES: 3, SIGN_IN_LOCKOUT_SECONDS: 2 } })
})
afterAll(() => platform.close())

const signIn = (body: unknown) => platform.request('POST', '/v1/me/sessions', { body })

describe('POST /v1/me/sessions', () => {
  test('a member signs in with card number and PIN, and the token opens their own pages', async () => {
    const m = await makeMember(platform.db.pg)
    const res = await signIn({ card_number: m.cardNumber, pin: m.pin })
    expect(res.status).toBe(201)
    const { token, expires_at } = await json(res)
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(800_000) // MEMBER_TOKEN_TTL_SECONDS = 900
    const me = await json(platform.request('GET', '/v1/me', { token }))
    expect(me.id).toBe(m.memberId)
  })

  test('a member signs in with e-mail (any case) and password', async () => {
    const m = await makeMember(platform.db.pg, { pin: 'correct horse battery' })
    const res = await signIn({ email: m.email!.toUpperCase(), password: 'correct horse battery' })
    expect(res.status).toBe(201)
    expect(platform.tokens.verify((await json(res)).token)).toMatchObject({ sub: m.memberId, kind: 'member' })
  })

  test('a wrong PIN, an unknown card and an unknown e-mail get the same 401', async () => {
    const m = await makeMember(platform.db.pg)
    const answers = await Promise.all([
      signIn({ card_number: m.cardNumber, pin: '0000' }),
      signIn({ card_number: '9999999999994', pin: '4821' }),
      signIn({ email: 'nobody@member.example', password: '4821' }),
    ])
    const bodies = await Promise.all(answers.map((r) => json(r)))
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401])
    expect(new Set(bodies.map((b) => b.detail)).size).toBe(1)
    expect(answers[0]!.headers.get('content-type')).toMatch(/application\/problem\+json/)
  })

  test('a blocked card cannot be used to sign in, though the member still can by e-mail', async () => {
    const m = await makeMember(platform.db.pg)
    await platform.db.pg.query("UPDATE cards SET status = 'blocked', blocked_at = now() WHERE card_number = $1", [m.cardNumber])
    expect((await signIn({ card_number: m.cardNumber, pin: m.pin })).status).toBe(401)
    expect((await signIn({ email: m.email, pin: m.pin })).status).toBe(201)
  })

  test('anonymous and blocked members, and members without a secret, cannot sign in', async () => {
    const anonymous = await makeMember(platform.db.pg, { status: 'anonymous' })
    const blocked = await makeMember(platform.db.pg, { status: 'blocked' })
    const noSecret = await makeMember(platform.db.pg)
    await platform.db.pg.query('UPDATE members SET secret_hash = NULL WHERE id = $1', [noSecret.memberId])
    for (const m of [anonymous, blocked, noSecret]) {
      expect((await signIn({ card_number: m.cardNumber, pin: m.pin })).status).toBe(401)
    }
  })

  test('after SIGN_IN_MAX_FAILURES failures in a row the account is locked (429, Retry-After), even for the right PIN, until the window ends', async () => {
    const m = await makeMember(platform.db.pg)
    for (let i = 0; i < 3; i++) expect((await signIn({ card_number: m.cardNumber, pin: '1111' })).status).toBe(401)
    const locked = await signIn({ card_number: m.cardNumber, pin: m.pin })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(2)
    expect((await json(locked)).code).toBe('sign_in_locked')
    // By e-mail too: the lock is on the account, not on the way of naming it.
    expect((await signIn({ email: m.email, pin: m.pin })).status).toBe(429)

    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect((await signIn({ card_number: m.cardNumber, pin: m.pin })).status).toBe(201)
    const [row] = await platform.db.pg.query('SELECT failed_sign_ins, locked_until FROM members WHERE id = $1', [m.memberId])
    expect(row).toEqual({ failed_sign_ins: 0, locked_until: null })
  })

  test('a successful sign-in resets the count of failures', async () => {
    const m = await makeMember(platform.db.pg)
    for (let i = 0; i < 2; i++) await signIn({ card_number: m.cardNumber, pin: '1111' })
    expect((await signIn({ card_number: m.cardNumber, pin: m.pin })).status).toBe(201)
    for (let i = 0; i < 2; i++) expect((await signIn({ card_number: m.cardNumber, pin: '1111' })).status).toBe(401)
    expect((await signIn({ card_number: m.cardNumber, pin: m.pin })).status).toBe(201)
  })

  test('guesses sent all at once are checked at most SIGN_IN_MAX_FAILURES times', async () => {
    const m = await makeMember(platform.db.pg)
    const answers = await Promise.all(Array.from({ length: 8 }, () => signIn({ card_number: m.cardNumber, pin: '1111' })))
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 401)).toHaveLength(3)
    expect(statuses.filter((s) => s === 429)).toHaveLength(5)
  })

  test('an unknown account costs a full secret check, like a known one', async () => {
    const m = await makeMember(platform.db.pg)
    await hashSecret('warm-up') // the first scrypt call pays for setup
    // The fastest of three runs of each: robust to a busy machine's pauses.
    const fastest = async (body: unknown) => {
      let best = Infinity
      for (let i = 0; i < 3; i++) {
        const start = process.hrtime.bigint()
        await signIn(body)
        best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6)
      }
      return best
    }
    const known = await fastest({ email: m.email, pin: '0000' })
    const unknown = await fastest({ email: 'nobody-at-all@member.example', pin: '0000' })
    const floor = await fastest({ card_number: 'x', pin: '' }) // refused by validation: no scrypt
    expect(unknown).toBeGreaterThan(floor + 15) // scrypt costs ~40 ms here
    expect(unknown).toBeGreaterThan(known * 0.5)
  })

  test('bad input is a 400 naming each problem by its JSON path', async () => {
    const res = await signIn({ card_number: '9000000000019', email: 'a@b.example', nickname: 'x' })
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path).sort()
    expect(paths).toEqual(['$.email', '$.nickname', '$.pin'])
  })
})

describe('member tokens', () => {
  test('an expired token is refused', async () => {
    const m = await makeMember(platform.db.pg)
    const { token } = platform.tokens.issue({ sub: m.memberId, kind: 'member' }, 60, new Date(Date.now() - 120_000))
    expect((await platform.request('GET', '/v1/me', { token })).status).toBe(401)
  })

  test('a staff token is not a member token', async () => {
    const staff = await platform.createStaff(['admin'])
    expect((await platform.request('GET', '/v1/me/balance', { token: staff.token })).status).toBe(401)
  })

  test('a tampered token is refused', async () => {
    const m = await makeMember(platform.db.pg)
    const other = await makeMember(platform.db.pg)
    const [prefix, , mac] = platform.memberToken(m.memberId).split('.')
    const forged = Buffer.from(JSON.stringify({ sub: other.memberId, kind: 'member', exp: 9_999_999_999 })).toString('base64url')
    expect((await platform.request('GET', '/v1/me', { token: `${prefix}.${forged}.${mac}` })).status).toBe(401)
  })
})
