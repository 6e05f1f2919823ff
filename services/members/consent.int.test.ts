import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { consentedMembers } from './consent'

let platform: TestPlatform

beforeAll(async () => {
  platform = await startTestPlatform()
})
afterAll(() => platform.close())

const patch = (m: TestMember, body: unknown) => platform.request('PATCH', '/v1/me/consents', { token: platform.memberToken(m.memberId), body })
const events = (memberId: string) =>
  platform.db.pg.query('SELECT channel, granted, source FROM consent_events WHERE member_id = $1 ORDER BY id', [memberId])

describe('PATCH /v1/me/consents', () => {
  test('gives and withdraws consent per channel, recording each change as an event and in the audit log', async () => {
    const m = await makeMember(platform.db.pg)
    const res = await patch(m, { email: true, personalised_offers: true })
    expect(res.status).toBe(200)
    const { consents } = await json(res)
    expect(consents.map((c: { channel: string; granted: boolean }) => [c.channel, c.granted])).toEqual([
      ['email', true],
      ['sms', false],
      ['personalised_offers', true],
    ])
    await patch(m, { email: false })
    expect(await events(m.memberId)).toEqual([
      { channel: 'email', granted: true, source: 'member' },
      { channel: 'personalised_offers', granted: true, source: 'member' },
      { channel: 'email', granted: false, source: 'member' },
    ])
    const trail = await platform.db.pg.query(
      "SELECT actor_type, actor_id, before, after FROM audit_log WHERE action = 'member.consents' AND entity_id = $1 ORDER BY id",
      [m.memberId],
    )
    expect(trail).toEqual([
      { actor_type: 'member', actor_id: m.memberId, before: { email: null, personalised_offers: null }, after: { email: true, personalised_offers: true } },
      { actor_type: 'member', actor_id: m.memberId, before: { email: true }, after: { email: false } },
    ])
  })

  test('asking for the state a channel is already in records nothing', async () => {
    const m = await makeMember(platform.db.pg)
    await patch(m, { sms: true })
    const again = await patch(m, { sms: true })
    expect(again.status).toBe(200)
    expect(await events(m.memberId)).toHaveLength(1)
  })

  test('bad input is a 400 naming each problem by its JSON path', async () => {
    const m = await makeMember(platform.db.pg)
    const res = await patch(m, { email: 'yes', fax: true })
    expect(res.status).toBe(400)
    expect((await json(res)).errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.email', '$.fax'])
    expect((await patch(m, {})).status).toBe(400)
    expect(await events(m.memberId)).toHaveLength(0)
  })
})

describe('consentedMembers: the one gate for anything that sends offers', () => {
  test('admits only active members whose consent on that channel is granted now', async () => {
    const [granted, withdrawn, never, otherChannel, blocked] = await Promise.all(Array.from({ length: 5 }, () => makeMember(platform.db.pg)))
    await patch(granted!, { email: true })
    await patch(withdrawn!, { email: true })
    await patch(withdrawn!, { email: false })
    await patch(otherChannel!, { sms: true })
    await patch(blocked!, { email: true })
    await platform.db.pg.query("UPDATE members SET status = 'blocked' WHERE id = $1", [blocked!.memberId])
    const all = [granted, withdrawn, never, otherChannel, blocked].map((m) => m!.memberId)

    expect(await consentedMembers(platform.db.pg, all, 'email')).toEqual(new Set([granted!.memberId]))
    expect(await consentedMembers(platform.db.pg, all, 'sms')).toEqual(new Set([otherChannel!.memberId]))
    expect(await consentedMembers(platform.db.pg, all, 'personalised_offers')).toEqual(new Set())
    expect(await consentedMembers(platform.db.pg, [], 'email')).toEqual(new Set())
  })

  test('a withdrawal is honoured by the next call, inside a sender’s transaction too', async () => {
    const m = await makeMember(platform.db.pg)
    await patch(m, { personalised_offers: true })
    await platform.db.pg.transaction(async (tx) => {
      expect(await consentedMembers(tx, [m.memberId], 'personalised_offers')).toEqual(new Set([m.memberId]))
    })
    await patch(m, { personalised_offers: false })
    await platform.db.pg.transaction(async (tx) => {
      expect(await consentedMembers(tx, [m.memberId], 'personalised_offers')).toEqual(new Set())
    })
  })
})
