import { giveCoupons, publishRun } from '../../test/helpers/campaigns'
import { makeMember, type TestMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'

/**
 * The staff routes Member 360 reads besides the member itself: GET /v1/members/:id/coupons (as
 * GET /v1/me/coupons shows them) and GET /v1/members/:id/segments (the member's RFM segment in
 * each kept done RFM run), over hand-made runs, scores and coupons.
 */
let platform: TestPlatform
const tokens: Record<string, string> = {}
let member: TestMember
let other: TestMember
const runs: Record<string, number> = {}
const UNKNOWN = `mem_${'0'.repeat(32)}`

const get = (path: string, role: string) => platform.request('GET', path, { token: tokens[role] })

beforeAll(async () => {
  platform = await startTestPlatform()
  for (const role of ['admin', 'support', 'marketer', 'analyst'] as const) tokens[role] = (await platform.createStaff([role])).token
  member = await makeMember(platform.db.pg)
  other = await makeMember(platform.db.pg)
  const pg = platform.db.pg
  runs.older = await publishRun(pg, ['rfm'], '2026-01-01T00:00:00Z')
  runs.missing = await publishRun(pg, ['rfm'], '2026-02-01T00:00:00Z') // did not score the member
  runs.newer = await publishRun(pg, ['profiles', 'rfm'], '2026-03-01T00:00:00Z')
  runs.pruned = await publishRun(pg, ['rfm'], '2025-12-01T00:00:00Z')
  await pg.query(`UPDATE analytics_runs SET pruned = '{rfm}' WHERE id = $1`, [runs.pruned])
  runs.profilesOnly = await publishRun(pg, ['profiles'], '2026-03-15T00:00:00Z')
  runs.failed = await publishRun(pg, ['rfm'], '2026-04-01T00:00:00Z')
  await pg.query(`UPDATE analytics_runs SET state = 'failed' WHERE id = $1`, [runs.failed])
  const score = (run: number, memberId: string, segment: string, r: number, f: number, m: number) => ({ run_id: run, member_id: memberId, segment, r, f, m })
  await platform.ch.client.insert({
    table: 'rfm_scores',
    format: 'JSONEachRow',
    values: [
      score(runs.older!, member.memberId, 'at_risk', 2, 4, 4),
      score(runs.newer!, member.memberId, 'champions', 5, 5, 4),
      score(runs.missing!, other.memberId, 'loyal', 3, 4, 3),
      score(runs.newer!, other.memberId, 'hibernating', 1, 1, 1),
      score(runs.pruned!, member.memberId, 'loyal', 3, 3, 3),
      score(runs.profilesOnly!, member.memberId, 'loyal', 3, 3, 3),
      score(runs.failed!, member.memberId, 'loyal', 3, 3, 3),
    ],
  })
  await giveCoupons(pg, member.memberId, 2, new Date().toISOString())
})
afterAll(() => platform.close())

describe('GET /v1/members/:id/coupons', () => {
  test('support and admin get the member’s coupons exactly as the member sees them', async () => {
    const mine = await json(await platform.request('GET', '/v1/me/coupons', { token: platform.memberToken(member.memberId) }))
    expect(mine.items).toHaveLength(2)
    for (const role of ['support', 'admin']) {
      const res = await get(`/v1/members/${member.memberId}/coupons`, role)
      expect(res.status).toBe(200)
      expect(await json(res)).toEqual(mine)
    }
    const limited = await json(await get(`/v1/members/${member.memberId}/coupons?limit=1`, 'support'))
    expect(limited.items).toHaveLength(1)
    expect(limited.truncated).toBe(true)
    expect(await json(await get(`/v1/members/${other.memberId}/coupons`, 'support'))).toEqual({ items: [], truncated: false })
  })

  test('404 for an unknown member, 400 for an unknown parameter, 403 for marketers and analysts', async () => {
    expect((await get(`/v1/members/${UNKNOWN}/coupons`, 'support')).status).toBe(404)
    expect((await get(`/v1/members/${member.memberId}/coupons?x=1`, 'support')).status).toBe(400)
    for (const role of ['marketer', 'analyst']) expect((await get(`/v1/members/${member.memberId}/coupons`, role)).status).toBe(403)
  })
})

describe('GET /v1/members/:id/segments', () => {
  test("the member's segment in each kept done RFM run that scored them, newest first", async () => {
    for (const role of ['support', 'admin', 'marketer']) {
      const res = await get(`/v1/members/${member.memberId}/segments`, role)
      expect(res.status).toBe(200)
      expect(await json(res)).toEqual({
        member_id: member.memberId,
        runs: [
          { run_id: runs.newer, as_of: '2026-03-01T00:00:00.000Z', segment: { slug: 'champions', name: 'Champions' }, r: 5, f: 5, m: 4 },
          { run_id: runs.older, as_of: '2026-01-01T00:00:00.000Z', segment: { slug: 'at_risk', name: 'At Risk' }, r: 2, f: 4, m: 4 },
        ],
      })
    }
    const theirs = await json(await get(`/v1/members/${other.memberId}/segments`, 'marketer'))
    expect(theirs.runs.map((r: { run_id: number; segment: { slug: string } }) => [r.run_id, r.segment.slug])).toEqual([
      [runs.newer, 'hibernating'],
      [runs.missing, 'loyal'],
    ])
  })

  test('a member no kept run scored: an empty list', async () => {
    const never = await makeMember(platform.db.pg)
    expect(await json(await get(`/v1/members/${never.memberId}/segments`, 'support'))).toEqual({ member_id: never.memberId, runs: [] })
  })

  test('404 for an unknown member, 400 for an unknown parameter, 403 for analysts', async () => {
    expect((await get(`/v1/members/${UNKNOWN}/segments`, 'marketer')).status).toBe(404)
    expect((await get(`/v1/members/${member.memberId}/segments?run_id=1`, 'marketer')).status).toBe(400)
    expect((await get(`/v1/members/${member.memberId}/segments`, 'analyst')).status).toBe(403)
  })
})
