import { PassThrough } from 'node:stream'
import { text } from 'node:stream/consumers'
import { chRows } from '../../test/helpers/databases'
import { insertSwipes, mapCards, type AnalyticsSwipe } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { makeMember } from '../../test/helpers/members'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { runAnalytics } from './run-analytics'
import { SEGMENT_SLUGS } from './segments'
import { writeSegmentCsv } from './segments.repo'

/** The segment read API through HTTP, over real runs (docs/segments.md "API"). */
let platform: TestPlatform
let marketer: string
let analyst: string
let run1: number
const ids: Record<'champ' | 'leaver' | 'joiner' | 'mover', string> = { champ: '', leaver: '', joiner: '', mover: '' }
const PERSONAL = { name: 'Grace Hopper-Segments', email: 'grace.segments@example.com' }

const get = (path: string, token = marketer, headers: Record<string, string> = {}) => platform.request('GET', path, { token, headers })
const problemPaths = async (res: Response) => ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()
const day = (iso: string, plusDays: number) => new Date(Date.parse(iso) + plusDays * 86_400_000).toISOString()

/** A member with one card and these visits (each a sale of one line at `price`). */
async function shopper(visits: string[], price: string): Promise<string> {
  const card = makeCardNumber()
  const memberId = await mapCards(platform.db.pg, [card])
  const swipes: AnalyticsSwipe[] = visits.map((at) => ({ card, at, lines: [{ sku: 'SKU-1', category: 'Grocery', quantity: '1', unit_price: price }] }))
  await insertSwipes(platform.ch, swipes)
  return memberId
}

const RUN1 = '2026-02-01T00:00:00.000Z'
const RUN2 = '2026-03-01T00:00:00.000Z'
const runAt = async (asOf: string) =>
  (
    await runAnalytics(
      { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date(asOf) },
      { kinds: ['profiles', 'rfm'], asOf: new Date(asOf), profileWindowDays: 365, rfmWindowDays: 365 },
      { profileKeepRuns: 2, rfmKeepDays: 730 },
    )
  ).run_id

/** member → segment of one run, straight from rfm_scores. */
async function scores(runId: number): Promise<Map<string, { segment: string; monetary: string }>> {
  const rows = await chRows<{ member_id: string; segment: string; monetary: string }>(
    platform.ch,
    'SELECT member_id, segment, toDecimalString(monetary, 2) AS monetary FROM rfm_scores WHERE run_id = {run:UInt64}',
    { run: runId },
  )
  return new Map(rows.map((r) => [r.member_id, r]))
}

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  analyst = (await platform.createStaff(['analyst'])).token
  // 24 regulars with 1–5 visits ten days apart, at staggered recencies, all inside both windows.
  for (let i = 0; i < 24; i++) {
    const last = day(RUN1, -1 - ((i * 11) % 250))
    await shopper(Array.from({ length: 1 + (i % 5) }, (_, k) => day(last, -10 * k)), `${5 + i}.25`)
  }
  ids.champ = await shopper(Array.from({ length: 20 }, (_, k) => day(RUN1, -1 - k)), '30.00')
  ids.leaver = await shopper(['2025-02-15T12:00:00+01:00'], '4.00') // in run 1's window only
  ids.joiner = await shopper(['2026-02-10T12:00:00+01:00', '2026-02-20T12:00:00+01:00'], '9.99') // after run 1
  ids.mover = await shopper(['2025-05-01T12:00:00+02:00', ...Array.from({ length: 25 }, (_, k) => day('2026-02-27T10:00:00Z', -k))], '2.50')
  await platform.db.pg.query("UPDATE members SET name = $2, email = $3, status = 'active' WHERE id = $1", [ids.champ, PERSONAL.name, PERSONAL.email])
})
afterAll(() => platform.close())

describe('before any RFM run is published', () => {
  test('segments and migration answer 404 saying none is published; history is empty', async () => {
    const segments = await get('/v1/segments')
    expect(segments.status).toBe(404)
    expect((await json(segments)).detail).toMatch(/no RFM run has been published/)
    expect((await json(get('/v1/segments/migration'))).detail).toMatch(/two done RFM runs and none is published/)
    expect(await json(get('/v1/segments/history'))).toMatchObject({ runs: [] })
  })
})

describe('with one run', () => {
  beforeAll(async () => void (run1 = await runAt(RUN1)))
  test('migration needs two runs: 404 naming that only one is published', async () => {
    const res = await get('/v1/segments/migration')
    expect(res.status).toBe(404)
    expect((await json(res)).detail).toMatch(/only one is published/)
  })
})

describe('with two runs', () => {
  let run2: number
  beforeAll(async () => {
    run1 ??= await runAt(RUN1) // when run alone (jest -t)
    run2 = await runAt(RUN2)
  })

  test('GET /v1/segments: the newest run, all 10 segments in order, sizes and revenue as rfm_scores has them, shares adding up', async () => {
    const body = await json(get('/v1/segments'))
    expect(body.run).toEqual({ id: run2, as_of: RUN2, window_days: 365, finished_at: RUN2 })
    expect(body.segments.map((s: { slug: string }) => s.slug)).toEqual(SEGMENT_SLUGS)
    const truth = [...(await scores(run2)).values()]
    expect(body.active_members).toBe(truth.length)
    let revenueCents = 0
    for (const segment of body.segments) {
      const inIt = truth.filter((t) => t.segment === segment.slug)
      const cents = inIt.reduce((sum, t) => sum + Math.round(Number(t.monetary) * 100), 0)
      revenueCents += cents
      expect({ slug: segment.slug, members: segment.members, revenue: segment.revenue }).toEqual({ slug: segment.slug, members: inIt.length, revenue: (cents / 100).toFixed(2) })
      if (inIt.length === 0) expect(segment).toMatchObject({ share: 0, avg_r: null, avg_monetary: null, revenue: '0.00' })
      else expect(segment.avg_monetary).toBe((cents / 100 / inIt.length).toFixed(2))
    }
    expect(body.revenue).toBe((revenueCents / 100).toFixed(2))
    expect(body.segments.reduce((sum: number, s: { share: number }) => sum + s.share, 0)).toBeCloseTo(1, 3)
    expect(body.segments.reduce((sum: number, s: { revenue_share: number }) => sum + s.revenue_share, 0)).toBeCloseTo(1, 3)
    expect(body.segments.find((s: { slug: string }) => s.slug === 'champions')).toMatchObject({ members: expect.any(Number), avg_r: expect.any(Number) })
    expect(body.segments.filter((s: { members: number }) => s.members === 0).length).toBeGreaterThan(0)
  })

  test('?run_id reads that run; a run that is not a done RFM run with its scores kept is a 404', async () => {
    expect((await json(get(`/v1/segments?run_id=${run1}`))).run).toMatchObject({ id: run1, as_of: RUN1 })
    const notReadable = await platform.db.pg.query<{ id: number }>(
      `INSERT INTO analytics_runs (kinds, state, as_of, rfm_window_days, pruned, finished_at) VALUES
         ('{rfm}', 'done', now(), 365, '{rfm}', now()), ('{rfm}', 'running', now(), 365, '{}', NULL), ('{rfm}', 'failed', now(), 365, '{}', now())
       RETURNING id::int AS id`,
    )
    for (const { id } of [...notReadable, { id: 999_999 }]) {
      const res = await get(`/v1/segments?run_id=${id}`)
      expect(res.status).toBe(404)
      expect((await json(res)).detail).toMatch(new RegExp(`run_id ${id} is not a done RFM run`))
    }
    expect((await json(get('/v1/segments'))).run.id).toBe(run2)
    expect((await json(get(`/v1/segments/migration?from=${run1}&to=${notReadable[0]!.id}`))).detail).toMatch(/^to \d+ is not a done RFM run/)
  })

  test('GET /v1/segments/history: one row per done run, oldest first, with all 10 counts; from/to pick runs by as_of date', async () => {
    const body = await json(get('/v1/segments/history'))
    expect(body.runs.map((r: { id: number }) => r.id)).toEqual([run1, run2])
    for (const [i, runId] of [run1, run2].entries()) {
      const counts = Object.fromEntries(SEGMENT_SLUGS.map((slug) => [slug, 0]))
      for (const { segment } of (await scores(runId)).values()) counts[segment]!++
      expect(body.runs[i].sizes).toEqual(counts)
      expect(Object.keys(body.runs[i].sizes)).toEqual(SEGMENT_SLUGS)
    }
    expect((await json(get('/v1/segments/history?from=2026-02-02'))).runs.map((r: { id: number }) => r.id)).toEqual([run2])
    expect((await json(get('/v1/segments/history?to=2026-02-01'))).runs.map((r: { id: number }) => r.id)).toEqual([run1])
    expect((await json(get('/v1/segments/history?limit=1'))).runs.map((r: { id: number }) => r.id)).toEqual([run2])
  })

  test('GET /v1/segments/migration: every member from segment to segment, entering and leaving included, as the two snapshots say', async () => {
    const body = await json(get('/v1/segments/migration'))
    expect([body.from.id, body.to.id]).toEqual([run1, run2])
    const [before, after] = [await scores(run1), await scores(run2)]
    const expected = new Map<string, number>()
    for (const member of new Set([...before.keys(), ...after.keys()])) {
      const key = `${before.get(member)?.segment ?? 'none'} > ${after.get(member)?.segment ?? 'none'}`
      expected.set(key, (expected.get(key) ?? 0) + 1)
    }
    const flows = new Map(body.flows.map((f: { from: string; to: string; members: number }) => [`${f.from} > ${f.to}`, f.members]))
    expect(flows).toEqual(expected)
    expect(flows.get(`${before.get(ids.leaver)!.segment} > none`)).toBeGreaterThanOrEqual(1)
    expect(flows.get(`none > ${after.get(ids.joiner)!.segment}`)).toBeGreaterThanOrEqual(1)
    expect(before.get(ids.mover)!.segment).not.toBe(after.get(ids.mover)!.segment)
    expect(body.totals).toEqual({ from_members: before.size, to_members: after.size, entered: 1, left: 1, stayed: expect.any(Number), moved: expect.any(Number) })
    expect(body.totals.stayed + body.totals.moved + body.totals.entered).toBe(after.size)

    const reversed = await json(get(`/v1/segments/migration?from=${run2}&to=${run1}`))
    expect(reversed.totals).toMatchObject({ from_members: after.size, to_members: before.size, entered: 1, left: 1 })
    expect(reversed.flows).toContainEqual({ from: after.get(ids.joiner)!.segment, to: 'none', members: expect.any(Number) })
  })

  test("GET /v1/segments/:name/members pages by member id; the CSV (format=csv or Accept) is the whole segment, equal to the pages", async () => {
    const truth = await scores(run2)
    const sizes = new Map<string, number>()
    for (const { segment } of truth.values()) sizes.set(segment, (sizes.get(segment) ?? 0) + 1)
    const [slug, size] = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]!
    expect(size).toBeGreaterThan(3)
    const pages: Record<string, unknown>[][] = []
    let cursor: string | null = null
    do {
      const page: { members: Record<string, unknown>[]; next: string | null; segment: object } = await json(get(`/v1/segments/${slug}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`))
      expect(page.members.length).toBeLessThanOrEqual(2)
      pages.push(page.members)
      cursor = page.next
    } while (cursor)
    const listed = pages.flat()
    expect(listed.map((m) => m.member_id)).toEqual([...truth.keys()].filter((id) => truth.get(id)!.segment === slug).sort())
    expect(listed[0]).toEqual({ member_id: expect.any(String), r: expect.any(Number), f: expect.any(Number), m: expect.any(Number), recency_days: expect.any(Number), frequency: expect.any(Number), monetary: expect.stringMatching(/^-?\d+\.\d\d$/) })
    expect(listed.map((m) => m.monetary)).toEqual(listed.map((m) => truth.get(m.member_id as string)!.monetary))

    for (const res of [await get(`/v1/segments/${slug}/members?format=csv`), await get(`/v1/segments/${slug}/members`, marketer, { accept: 'text/csv' })]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="segment-${slug}-run-${run2}.csv"`)
      expect(parseCsv(await res.text())).toEqual(listed)
    }
  })

  test('the CSV export read in keyset chunks has one header and every row once, whatever the chunk size', async () => {
    const whole = await csvOf(1_000)
    expect(whole.trimEnd().split('\n').length).toBeGreaterThan(4)
    expect(whole.split('\n')[0]).toBe('"member_id","r","f","m","recency_days","frequency","monetary"')
    for (const chunk of [1, 2, 3]) expect(await csvOf(chunk)).toBe(whole)
    expect(await csvOf(2, 'cant_lose_them_nobody')).toBe('"member_id","r","f","m","recency_days","frequency","monetary"\n')
    async function csvOf(chunkRows: number, segment = 'hibernating') {
      const out = new PassThrough()
      const [, body] = await Promise.all([writeSegmentCsv(platform.ch, run2, segment, out, chunkRows), text(out)])
      return body
    }
  })

  test('an unknown segment is a 404 listing the valid slugs', async () => {
    const res = await get('/v1/segments/vips/members')
    expect(res.status).toBe(404)
    expect((await json(res)).detail).toBe(`no segment "vips"; the segments are ${SEGMENT_SLUGS.join(', ')}`)
  })

  test('every query parameter is validated: 400 naming each problem', async () => {
    expect(await problemPaths(await get('/v1/segments?run_id=abc&extra=1'))).toEqual(['$.extra', '$.run_id'])
    expect(await problemPaths(await get('/v1/segments/history?from=2026-13-01&to=x&limit=0'))).toEqual(['$.from', '$.limit', '$.to'])
    expect(await problemPaths(await get('/v1/segments/history?from=2026-03-01&to=2026-02-01'))).toEqual(['$.to'])
    expect(await problemPaths(await get('/v1/segments/champions/members?limit=1001&cursor=nope&format=xml'))).toEqual(['$.cursor', '$.format', '$.limit'])
    expect(await problemPaths(await get('/v1/segments/champions/members?format=csv&limit=10'))).toEqual(['$.limit'])
    expect(await problemPaths(await get('/v1/segments/migration?from=1'))).toEqual(['$.to'])
    expect(await problemPaths(await get('/v1/segments/migration?from=1&to=1'))).toEqual(['$.to'])
  })

  test('marketer and analyst read segments; support, a member token and a store key are refused; no personal data in any answer', async () => {
    const support = (await platform.createStaff(['support'])).token
    const member = platform.memberToken((await makeMember(platform.db.pg)).memberId)
    const store = (await platform.createStore()).key
    const paths = ['/v1/segments', '/v1/segments/history', '/v1/segments/migration', '/v1/segments/champions/members', '/v1/segments/champions/members?format=csv']
    for (const path of paths) {
      for (const token of [marketer, analyst]) {
        const res = await get(path, token)
        expect([path, res.status]).toEqual([path, 200])
        const body = await res.text()
        expect(body).not.toContain(PERSONAL.name)
        expect(body).not.toContain(PERSONAL.email)
      }
      expect([path, (await get(path, support)).status]).toEqual([path, 403])
      expect([path, (await get(path, member)).status]).toEqual([path, 401])
      expect([path, (await get(path, store)).status]).toEqual([path, 401])
    }
    expect(await (await get(`/v1/segments/champions/members?limit=1000`, analyst)).text()).toContain(ids.champ)
  })
})

/** ClickHouse's CSVWithNames as the listing's objects (no value holds a comma or a quote). */
function parseCsv(csv: string): Record<string, unknown>[] {
  const [header, ...lines] = csv.trimEnd().split('\n').map((line) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')))
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, name === 'member_id' || name === 'monetary' ? cells[i] : Number(cells[i])])))
}
