import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { runAnalytics } from '../../services/analytics/run-analytics'
import { insertSwipes } from '../helpers/analytics'
import { giveCoupons, makeCandidate } from '../helpers/campaigns'
import { makeCardNumber } from '../helpers/factories'
import { json, startTestPlatform, type TestPlatform } from '../helpers/platform'

/**
 * The console and the members' page in Debian's Chromium, against a running platform on real
 * databases: staff sign in and see the overview, the RFM grid, build and launch a campaign and
 * read its report; a member reads their balance on a phone-sized screen; a role that may not
 * see a page does not. Screenshots of each page go to test/screenshots/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = path.resolve(__dirname, '../screenshots')
const DAY = 86_400_000
const hasChromium = fs.existsSync(CHROMIUM)
// Without the browser (a machine without Debian's chromium) these tests cannot run at all; they
// are skipped, loudly. .ci/run installs it, so CI always runs them.
const describeBrowser = hasChromium ? describe : describe.skip
if (!hasChromium) console.warn(`console browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)

let platform: TestPlatform
let context: BrowserContext
let userDataDir: string
const staff: Record<string, { email: string; password: string; token: string }> = {}
let member: { id: string; card: string; pin: string }
let seededSales = 0

const line = (category: string, price: string) => ({ sku: `SKU-${category}`, category, quantity: '1', unit_price: price })

async function seed(): Promise<void> {
  for (const role of ['admin', 'marketer', 'analyst', 'support'] as const) {
    const { email, password, token } = await platform.createStaff([role])
    staff[role] = { email, password, token }
  }
  const admin = await platform.createStaff(['admin'])
  const storeA = await platform.createStore()
  const storeB = await platform.createStore()
  // Targets for this month and the last: the default range (30 days) spans both.
  const months = [new Date(Date.now() - 31 * DAY), new Date()].map((d) => ({ month: d.toISOString().slice(0, 7), sales: '5000.00' }))
  const target = await platform.request('PUT', `/v1/stores/${storeA.storeId}/targets`, { token: admin.token, body: months })
  expect(target.status).toBe(200)

  // The member who signs in: registered through the API with a PIN, given points by support.
  member = { id: '', card: makeCardNumber(), pin: '4821' }
  const registered = await json(
    platform.request('POST', '/v1/members', {
      token: admin.token,
      body: { name: 'Grace Hopper', email: 'grace@example.com', card_number: member.card, pin: member.pin, consents: { email: true, sms: false, personalised_offers: true } },
    }),
  )
  member.id = registered.id
  const adjusted = await platform.request('POST', `/v1/members/${member.id}/points/adjustments`, { token: admin.token, body: { points: 250, reason: 'welcome bonus' } })
  expect(adjusted.status).toBe(201)

  // Twelve more members with two to four visits each over the last three weeks; every figure in
  // the pages is computed from these by ClickHouse.
  const now = Date.now()
  const cards = [member.card]
  for (let i = 0; i < 12; i++) {
    const card = makeCardNumber()
    await makeCandidate(platform.db.pg, { cards: [card] })
    cards.push(card)
  }
  const swipes = cards.flatMap((card, i) =>
    Array.from({ length: 2 + (i % 3) }, (_, v) => {
      const price = `${10 + i}.50`
      seededSales += Number(price) + 5
      return { card, store: v % 2 === 0 ? storeA.storeId : storeB.storeId, at: new Date(now - (2 + v * 6 + (i % 5)) * DAY).toISOString(), lines: [line(i % 2 ? 'Dairy' : 'Bakery', price), line('Produce', '5.00')] }
    }),
  )
  await insertSwipes(platform.ch, swipes)
  const deps = { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date() }
  // Two RFM runs a week apart: the segments page shows the migration between them.
  for (const asOf of [new Date(now - 7 * DAY), new Date(now)]) {
    await runAnalytics(deps, { kinds: ['profiles', 'rfm'], asOf, profileWindowDays: 365, rfmWindowDays: 365 }, { profileKeepRuns: 2, rfmKeepDays: 730 })
  }
}

beforeAll(async () => {
  if (!hasChromium) return
  platform = await startTestPlatform({ workers: true })
  await seed()
  fs.mkdirSync(SHOTS, { recursive: true })
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-e2e-'))
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}, 300_000)

afterAll(async () => {
  await context?.close()
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true })
  await platform?.close()
})

/** Script errors in any tab; each test ends by checking there were none. */
const pageErrors: string[] = []
afterEach(() => expect(pageErrors.splice(0)).toEqual([]))

/** A new tab: its own sessionStorage, so its own sign-in. */
async function tab(): Promise<Page> {
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

async function signIn(page: Page, role: string): Promise<void> {
  await page.goto(`${platform.baseUrl}/console/`)
  await page.fill('#sign-in input[name=email]', staff[role]!.email)
  await page.fill('#sign-in input[name=password]', staff[role]!.password)
  await page.click('#sign-in button[type=submit]')
  await page.waitForSelector('#nav a')
}

const navPages = (page: Page) => page.$$eval('#nav a', (links) => links.map((a) => a.getAttribute('data-page')))
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
const euro = (n: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(n)

describeBrowser('the console in a browser', () => {
  test('the console is served with its CSP and ECharts comes from one route', async () => {
    const res = await fetch(`${platform.baseUrl}/console/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const echarts = await fetch(`${platform.baseUrl}/console/vendor/echarts.min.js`)
    expect(echarts.status).toBe(200)
    expect(echarts.headers.get('x-echarts-version')).toBe('6.1.0')
    expect((await fetch(`${platform.baseUrl}/member`, { redirect: 'manual' })).headers.get('location')).toBe('/console/member.html')
  })

  test('a wrong password is shown as the API problem', async () => {
    const page = await tab()
    await page.goto(`${platform.baseUrl}/console/`)
    await page.fill('#sign-in input[name=email]', staff.admin!.email)
    await page.fill('#sign-in input[name=password]', 'not-the-password')
    await page.click('#sign-in button[type=submit]')
    await expect(page.textContent('#sign-in .error')).resolves.toContain('the e-mail or password is wrong')
    await page.close()
  })

  test('an admin signs in, sees every page, the overview with the seeded sales and the stores against their targets', async () => {
    const page = await tab()
    await signIn(page, 'admin')
    expect(await navPages(page)).toEqual(['overview', 'stores', 'segments', 'campaigns', 'members'])
    await page.waitForSelector('[data-kpi="Sales"] .tile-value')
    expect(await page.textContent('[data-kpi="Sales"] .tile-value')).toBe(euro(seededSales))
    expect(await page.textContent('[data-kpi="Active members"] .tile-value')).toBe('13')
    await page.waitForSelector('#overview-daily canvas')
    await shot(page, 'overview')

    await page.click('#nav a[data-page=stores]')
    await page.waitForSelector('#stores-table tbody tr')
    expect(await page.$$eval('#stores-table tbody tr', (rows) => rows.length)).toBe(2)
    // One store has a target (prorated to the range), the other none.
    const reached = await page.$$eval('#stores-table tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent))
    expect(reached.filter((text) => /^\d+(\.\d+)? %$/.test(text ?? ''))).toHaveLength(1)
    expect(reached).toContain('–')
    await page.waitForSelector('#stores-target canvas')
    await shot(page, 'stores')

    await page.click('#sign-out')
    await page.waitForSelector('#sign-in')
    await page.close()
  })

  test('a marketer opens the RFM grid: 25 cells holding every scored member, sizes over time and the migration', async () => {
    const page = await tab()
    await signIn(page, 'marketer')
    expect(await navPages(page)).toEqual(['overview', 'segments', 'campaigns'])
    await page.click('#nav a[data-page=segments]')
    await page.waitForSelector('#rfm-grid[data-cells]')
    expect(await page.getAttribute('#rfm-grid', 'data-cells')).toBe('25')
    expect(await page.textContent('#rfm-grid-note')).toContain('13 scored members')
    await page.waitForSelector('#segment-migration canvas')
    expect(await page.textContent('#segment-migration-note')).toMatch(/\d+ stayed/)
    await shot(page, 'segments')
    await page.close()
  })

  test('a marketer builds a campaign with a live audience preview, launches it and reads its report', async () => {
    const page = await tab()
    await signIn(page, 'marketer')
    await page.click('#nav a[data-page=campaigns]')
    await page.click('#new-campaign')
    await page.fill('#f-name', 'Fresh bakery week')
    await page.fill('#f-holdout_pct', '25')
    await page.fill('#f-value', '10')
    await page.fill('#f-max_discount', '5')
    await page.waitForSelector('#campaign-preview[data-state=ready] #preview-treated')
    // 13 consenting, profiled members; a quarter held out.
    const preview = await page.textContent('#campaign-preview')
    expect(preview).toMatch(/Audience\s*13/)
    const treated = Number((await page.textContent('#preview-treated'))!.match(/^(\d+)/)![1])
    expect(treated).toBeGreaterThan(0)
    expect(treated).toBeLessThan(13)
    await shot(page, 'campaign-builder')

    await page.click('#launch')
    await page.waitForSelector('#report-issued, #campaign-message .error', { timeout: 60_000 })
    expect(await page.$('#campaign-message .error')).toBeNull()
    expect(await page.textContent('#report-issued')).toBe(String(treated))
    expect(await page.textContent('#report-tiles')).toContain('Uplift per member')
    await page.waitForSelector('#report-daily canvas')
    await shot(page, 'campaign-report')

    await page.click('#nav a[data-page=campaigns]')
    await page.waitForSelector('#campaign-list')
    expect(await page.textContent('#campaign-list')).toContain('Fresh bakery week')
    await page.close()
  })

  test('support sees only Member 360, finds the member, and a page it may not see answers 403 as a message', async () => {
    // A coupon of an earlier campaign, given now so the campaign tests above do not see it.
    await giveCoupons(platform.db.pg, member.id, 1, new Date().toISOString())
    const history = await json(platform.request('GET', `/v1/members/${member.id}/segments`, { token: staff.support!.token }))
    expect(history.runs).toHaveLength(2)
    const page = await tab()
    await signIn(page, 'support')
    expect(await navPages(page)).toEqual(['members'])
    await page.fill('#member-search input[name=q]', member.card)
    await page.click('#member-search button')
    await page.click('#member-results a')
    await page.waitForSelector('#member-balance')
    expect(await page.textContent('#member-balance')).toBe('250 points')
    expect(await page.textContent('#member-cards')).toContain(member.card)
    // Segment history: a row per RFM run, newest first, with the segment's name.
    expect(await page.$$eval('#member-segments tbody tr', (rows) => rows.length)).toBe(2)
    expect(await page.textContent('#member-segments tbody tr:first-child')).toContain(history.runs[0].segment.name)
    expect(await page.textContent('#member-coupons')).toContain('Earlier campaign 0')
    await shot(page, 'member-360')

    await page.goto(`${platform.baseUrl}/console/#/segments`)
    await page.waitForSelector('.page[data-page=segments] .error')
    expect(await page.getAttribute('.page[data-page=segments] .error', 'data-status')).toBe('403')
    expect(await page.textContent('.page[data-page=segments] .error')).toContain('Forbidden')
    expect(await navPages(page)).toEqual(['members'])
    await shot(page, 'forbidden')
    await page.close()
  })

  test('an analyst sees the overview, stores, segments and campaign reports, not Member 360', async () => {
    const page = await tab()
    await signIn(page, 'analyst')
    expect(await navPages(page)).toEqual(['overview', 'stores', 'segments', 'campaigns'])
    await page.close()
  })

  test('a member signs in on a phone-sized screen and reads their balance', async () => {
    const page = await tab()
    await page.setViewportSize({ width: 375, height: 812 })
    await page.goto(`${platform.baseUrl}/member`)
    await page.fill('#member-sign-in input[name=who]', member.card)
    await page.fill('#member-sign-in input[name=secret]', member.pin)
    await page.click('#member-sign-in button[type=submit]')
    await page.waitForSelector('#my-balance')
    expect(await page.textContent('#my-balance')).toBe('250 points')
    expect(await page.textContent('#my-visits')).toBeTruthy()
    // Nothing wider than the screen.
    expect(await page.$eval('html', (html) => html.scrollWidth)).toBeLessThanOrEqual(375)
    await shot(page, 'member-page')
    await page.close()
  })
})
