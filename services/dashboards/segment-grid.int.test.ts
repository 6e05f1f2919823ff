import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { makeCardNumber } from '../../test/helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../../test/helpers/platform'
import { runAnalytics } from '../analytics/run-analytics'
import { segmentOf } from '../analytics/segments'

/** GET /v1/segments/grid over a real RFM run: 25 cells that add up to the segment sizes. */
let platform: TestPlatform
let marketer: string
const AS_OF = '2026-03-01T00:00:00.000Z'
const daysBefore = (n: number) => new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString()

beforeAll(async () => {
  platform = await startTestPlatform()
  marketer = (await platform.createStaff(['marketer'])).token
  for (let i = 0; i < 30; i++) {
    const card = makeCardNumber()
    await mapCards(platform.db.pg, [card])
    const visits = 1 + (i % 5)
    await insertSwipes(
      platform.ch,
      Array.from({ length: visits }, (_, v) => ({
        card,
        at: daysBefore(1 + ((i * 7) % 200) + v * 9),
        lines: [{ sku: 'SKU-1', category: 'Grocery', quantity: '1', unit_price: `${10 + i}.25` }],
      })),
    )
  }
}, 60_000)
afterAll(() => platform?.close())

it('without a run the grid is a 404', async () => {
  expect((await platform.request('GET', '/v1/segments/grid', { token: marketer })).status).toBe(404)
})

it("has 25 cells, R 5 → 1 by F 1 → 5, whose members and revenue add up to each segment's", async () => {
  await runAnalytics(
    { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date(AS_OF) },
    { kinds: ['profiles', 'rfm'], asOf: new Date(AS_OF), profileWindowDays: 365, rfmWindowDays: 365 },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
  const res = await platform.request('GET', '/v1/segments/grid', { token: marketer })
  expect(res.status).toBe(200)
  const grid = await json(res)
  expect(grid.cells).toHaveLength(25)
  expect(grid.cells.map((c: { r: number; f: number }) => `${c.r}${c.f}`).slice(0, 6)).toEqual(['51', '52', '53', '54', '55', '41'])
  for (const cell of grid.cells) expect(cell.segment).toBe(segmentOf(cell.r, cell.f))
  expect(grid.members).toBe(30)

  const sizes = await json(platform.request('GET', `/v1/segments?run_id=${grid.run.id}`, { token: marketer }))
  const members = new Map<string, number>()
  const revenue = new Map<string, number>()
  for (const cell of grid.cells) {
    members.set(cell.segment, (members.get(cell.segment) ?? 0) + cell.members)
    revenue.set(cell.segment, (revenue.get(cell.segment) ?? 0) + Math.round(Number(cell.revenue) * 100))
  }
  for (const segment of sizes.segments) {
    expect([segment.slug, members.get(segment.slug) ?? 0]).toEqual([segment.slug, segment.members])
    expect([segment.slug, revenue.get(segment.slug) ?? 0]).toEqual([segment.slug, Math.round(Number(segment.revenue) * 100)])
  }
  expect(grid.revenue).toBe(sizes.revenue)
})
