import { PassThrough } from 'node:stream'
import { text } from 'node:stream/consumers'
import { chRows } from '../../test/helpers/databases'
import { makeClvShoppers, runClv } from '../../test/helpers/clv'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { writeSegmentCsv } from './segments.repo'

/** The CLV filters of GET /v1/segments/:name/members (clv-filters.ts, docs/clv.md "API"), over real runs. */
let platform: TestPlatform
let marketer: string
let rfmRun: number
let clvRun: number
let segments: string[]
const AS_OF = '2026-01-01T00:00:00.000Z'

const get = (path: string, token = marketer, headers: Record<string, string> = {}) => platform.request('GET', path, { token, headers })
const problemPaths = async (res: Response) => ((await json(res)).errors as { path: string }[]).map((e) => e.path).sort()
type Row = Record<string, unknown> & { member_id: string }

/** Each filter as a query string and as hand-written SQL on the clv_scores row c (literals: test data). */
const FILTERS: [string, string][] = [
  ['min_clv=100', 'c.clv >= 100'],
  ['max_p_alive=0.5', 'c.p_alive <= 0.5'],
  ['churn_band=high,medium', "c.churn_band IN ('high', 'medium')"],
  ['min_clv=20&max_p_alive=0.5', 'c.clv >= 20 AND c.p_alive <= 0.5'],
  ['min_clv=50&max_clv=500.5&min_p_alive=0.2&max_p_alive=0.99&churn_band=low', "c.clv >= 50 AND c.clv <= 500.5 AND c.p_alive >= 0.2 AND c.p_alive <= 0.99 AND c.churn_band = 'low'"],
]

/** The segment's members passing `condition`, with their values, straight from ClickHouse. */
const truth = (segment: string, condition: string) =>
  chRows<Row>(
    platform.ch,
    `SELECT s.member_id AS member_id, toDecimalString(c.clv, 2) AS clv, c.p_alive AS p_alive, c.churn_band AS churn_band
     FROM rfm_scores AS s INNER JOIN clv_scores AS c ON c.member_id = s.member_id
     WHERE s.run_id = {rfm:UInt64} AND s.segment = {segment:String} AND c.run_id = {clv:UInt64} AND ${condition}
     ORDER BY member_id`,
    { rfm: rfmRun, clv: clvRun, segment },
  )

/** Every page of a listing, by keyset. */
async function allPages(path: string, limit: number): Promise<Row[]> {
  const rows: Row[] = []
  let cursor: string | null = null
  do {
    const res = await get(`${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    const page = await json(res)
    expect(page.members.length).toBeLessThanOrEqual(limit)
    rows.push(...page.members)
    cursor = page.next
  } while (cursor)
  return rows
}

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  await makeClvShoppers(platform, AS_OF, 200, 11)
})
afterAll(() => platform.close())

test('a CLV filter before any CLV run is published: 404 saying so', async () => {
  await runClv(platform, AS_OF, ['rfm'])
  const res = await get('/v1/segments/champions/members?min_clv=1')
  expect([res.status, (await json(res)).detail]).toEqual([404, 'no CLV run has been published yet'])
})

describe('with an RFM and CLV run', () => {
  beforeAll(async () => {
    const result = await runClv(platform, AS_OF)
    ;[rfmRun, clvRun] = [result.run_id, result.run_id]
    expect(result.clv?.bgnbd?.converged).toBe(true)
    const sizes = await chRows<{ segment: string; n: string }>(platform.ch, 'SELECT segment, count() AS n FROM rfm_scores WHERE run_id = {run:UInt64} GROUP BY segment ORDER BY n DESC, segment', { run: rfmRun })
    segments = sizes.slice(0, 3).map((s) => s.segment)
  })

  test('each filter narrows the pages exactly as a direct count in ClickHouse says, and adds clv, p_alive and churn_band', async () => {
    let narrowed = 0
    for (const segment of segments) {
      const [whole] = await chRows<{ n: string }>(platform.ch, 'SELECT count() AS n FROM rfm_scores WHERE run_id = {run:UInt64} AND segment = {segment:String}', { run: rfmRun, segment })
      for (const [query, condition] of FILTERS) {
        const expected = await truth(segment, condition)
        const listed = await allPages(`/v1/segments/${segment}/members?${query}`, 7)
        expect([segment, query, listed.length]).toEqual([segment, query, expected.length])
        expect(listed.map((row) => ({ member_id: row.member_id, clv: row.clv, p_alive: row.p_alive, churn_band: row.churn_band }))).toEqual(expected)
        expect(Object.keys(listed[0] ?? { member_id: '', r: 0, f: 0, m: 0, recency_days: 0, frequency: 0, monetary: '', clv: '', p_alive: 0, churn_band: '' })).toEqual(['member_id', 'r', 'f', 'm', 'recency_days', 'frequency', 'monetary', 'clv', 'p_alive', 'churn_band'])
        if (expected.length > 0 && expected.length < Number(whole!.n)) narrowed++
      }
    }
    expect(narrowed).toBeGreaterThanOrEqual(4)
    const page = await json(get(`/v1/segments/${segments[0]}/members?max_p_alive=1`))
    expect(page).toMatchObject({ run: { id: rfmRun }, clv_run: { id: clvRun, as_of: AS_OF, horizon_months: 12, monthly_discount: 0.01, finished_at: AS_OF, }, segment: { slug: segments[0] } })
    const plain = await json(get(`/v1/segments/${segments[0]}/members`))
    expect(plain.clv_run).toBeUndefined()
    expect(Object.keys(plain.members[0])).toEqual(['member_id', 'r', 'f', 'm', 'recency_days', 'frequency', 'monetary'])
  })

  test('the CSV with filters (format=csv or Accept) is the filtered pages, whatever the chunk size of the export', async () => {
    const [query] = FILTERS[3]!
    for (const segment of segments) {
      const pages = await allPages(`/v1/segments/${segment}/members?${query}`, 5)
      for (const res of [await get(`/v1/segments/${segment}/members?${query}&format=csv`), await get(`/v1/segments/${segment}/members?${query}`, marketer, { accept: 'text/csv' })]) {
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
        const csv = await res.text()
        expect(csv.split('\n')[0]).toBe('"member_id","r","f","m","recency_days","frequency","monetary","clv","p_alive","churn_band"')
        expect(parseCsv(csv)).toEqual(pages)
      }
      const narrowing = { runId: clvRun, filter: { min_clv: '20', max_p_alive: 0.5 } }
      const whole = await csvOf(segment, 1_000)
      for (const chunk of [1, 2, 3]) expect(await csvOf(segment, chunk)).toBe(whole)
      async function csvOf(slug: string, chunkRows: number) {
        const out = new PassThrough()
        const [, body] = await Promise.all([writeSegmentCsv(platform.ch, rfmRun, slug, out, chunkRows, narrowing), text(out)])
        return body
      }
    }
  })

  test('a CLV the model could not give is null in the pages and an empty cell in the CSV; members without a value are left out', async () => {
    const [fake] = await platform.db.pg.query<{ id: number }>(
      "INSERT INTO analytics_runs (kinds, state, as_of, clv_horizon_months, clv_monthly_discount, valued, finished_at) VALUES ('{clv}', 'done', $1, 12, 0.01, 2, $1) RETURNING id::int AS id",
      [AS_OF],
    )
    const [a, b] = (await truth(segments[0]!, '1')).map((row) => row.member_id)
    await platform.ch.client.command({
      query: "INSERT INTO clv_scores VALUES ({run:UInt64}, {a:String}, 3, 40, 90, 12.5, 0.25, 1, 2, 3, NULL, NULL, 0.75, 'high'), ({run:UInt64}, {b:String}, 3, 40, 90, 12.5, nan, 1, 2, 3, NULL, NULL, nan, 'high')",
      query_params: { run: fake!.id, a, b },
    })
    try {
      const page = await json(get(`/v1/segments/${segments[0]}/members?churn_band=high`))
      expect(page.clv_run.id).toBe(fake!.id)
      expect(page.members.map((m: Row) => [m.member_id, m.clv, m.p_alive, m.churn_band])).toEqual([[a, null, 0.25, 'high'], [b, null, null, 'high']].sort())
      expect((await json(get(`/v1/segments/${segments[0]}/members?max_p_alive=1`))).members.map((m: Row) => m.member_id)).toEqual([a])
      const csv = await (await get(`/v1/segments/${segments[0]}/members?churn_band=high&format=csv`)).text()
      const cells = Object.fromEntries(csv.trimEnd().split('\n').slice(1).map((line) => [line.split(',')[0]!.replace(/"/g, ''), line.split(',').slice(-3)]))
      expect(cells).toEqual({ [a!]: ['', '0.25', '"high"'], [b!]: ['', '', '"high"'] })
    } finally {
      await platform.db.pg.query("UPDATE analytics_runs SET state = 'failed' WHERE id = $1", [fake!.id])
    }
  })

  test('the filters read the newest CLV run even when a newer RFM-only run is listed', async () => {
    const later = (await runClv(platform, '2026-01-15T00:00:00.000Z', ['rfm'])).run_id
    const page = await json(get(`/v1/segments/${segments[0]}/members?min_p_alive=0`))
    expect([page.run.id, page.clv_run.id]).toEqual([later, clvRun])
    rfmRun = later
    const expected = await truth(segments[0]!, 'c.p_alive >= 0')
    expect((await allPages(`/v1/segments/${segments[0]}/members?min_p_alive=0`, 50)).map((row) => row.member_id)).toEqual(expected.map((row) => row.member_id))
  })

  test('every filter is validated: 400 naming each bad parameter, and a minimum above its maximum', async () => {
    const members = '/v1/segments/champions/members'
    expect(await problemPaths(await get(`${members}?min_clv=abc&max_clv=1.234&min_p_alive=2&max_p_alive=-0.1&churn_band=lowish`))).toEqual(['$.churn_band', '$.max_clv', '$.max_p_alive', '$.min_clv', '$.min_p_alive'])
    expect(await problemPaths(await get(`${members}?min_clv=10&max_clv=9.99&min_p_alive=0.8&max_p_alive=0.2`))).toEqual(['$.max_clv', '$.max_p_alive'])
    expect(await problemPaths(await get(`${members}?churn_band=high,&format=csv&limit=10`))).toEqual(['$.churn_band', '$.limit'])
    expect(await problemPaths(await get(`${members}?churn_band=`))).toEqual(['$.churn_band'])
    expect((await get(`${members}?min_clv=10&max_clv=10&min_p_alive=0.5&max_p_alive=0.5&churn_band=low,low`)).status).toBe(200)
  })
})

/** ClickHouse's CSVWithNames as the listing's objects (no value holds a comma or a quote; an empty cell is null). */
function parseCsv(csv: string): Row[] {
  const texts = new Set(['member_id', 'monetary', 'clv', 'churn_band'])
  const [header, ...lines] = csv.trimEnd().split('\n').map((line) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')))
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] === '' ? null : texts.has(name) ? cells[i] : Number(cells[i])])) as Row)
}
