import { insertSwipes, mapCards } from '../../test/helpers/analytics'
import { profileOf, readProfiles, readRfm, runBoth } from '../../test/helpers/analytics-results'
import { chRows, useTestDatabases } from '../../test/helpers/databases'
import { makeCardNumber } from '../../test/helpers/factories'
import { sql } from '../platform/sql-loader'
import { copyCardMap } from './card-map'
import { clickhouseTime } from './run-analytics'

// Profiles (docs/segments.md "Profile") on small datasets; every expected figure is worked out
// by hand in the comments. As of Monday 2026-06-01 00:00 UTC unless a test says otherwise;
// the 365-day window starts after 2025-06-01 00:00 UTC.

const t = useTestDatabases()
// Lift compares a member with every swipe in the window: each test starts from empty tables.
beforeEach(async () => {
  await t.ch.client.command({ query: 'TRUNCATE TABLE swipes' })
  await t.ch.client.command({ query: 'TRUNCATE TABLE swipe_lines' })
})

const AS_OF = '2026-06-01T00:00:00Z'
const line = (sku: string, category: string, quantity: string, unit_price: string) => ({ sku, category, quantity, unit_price })

test('visits, sales, returns and spend net of a return; avg_basket rounds half away from zero', async () => {
  const [card, owing] = [makeCardNumber(), makeCardNumber()]
  const member = await mapCards(t.db.pg, [card])
  const inDebt = await mapCards(t.db.pg, [owing])
  const [big] = await insertSwipes(t.ch, [{ card, at: '2026-05-01T10:00:00Z', lines: [line('X', 'Dairy', '1', '10.00')] }])
  const [old] = await insertSwipes(t.ch, [{ card: owing, at: '2025-05-20T10:00:00Z', lines: [line('X', 'Dairy', '1', '20.00')] }])
  await insertSwipes(t.ch, [
    { card, at: '2026-05-11T10:00:00Z', lines: [line('Y', 'Bakery', '1', '3.01')] },
    { card, at: '2026-05-12T10:00:00Z', kind: 'return', original: big!.txn, lines: [line('X', 'Dairy', '1', '10.00')] },
    // Returned in the window, bought before it: spend goes negative.
    { card: owing, at: '2026-05-01T10:00:00Z', kind: 'return', original: old!.txn, lines: [line('X', 'Dairy', '1', '20.00')] },
    { card: owing, at: '2026-05-02T10:00:00Z', lines: [line('Z', 'Bakery', '1', '0.04')] },
    { card: owing, at: '2026-05-03T10:00:00Z', lines: [line('Z', 'Bakery', '1', '0.03')] },
  ])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)

  // sales 10.00 + 3.01 = 13.01; returns 10.00; spend 3.01; 3.01 / 2 = 1.505 → 1.51 (half-even would say 1.50)
  // last visit 2026-05-11 10:00 → 20 days 14 hours before as_of → 20
  expect(await profileOf(t.ch, run, member)).toMatchObject({
    visits: 2, sales: '13.01', returns: '10.00', spend: '3.01', avg_basket: '1.51',
    first_visit: '2026-05-01T10:00:00.000Z', last_visit: '2026-05-11T10:00:00.000Z', days_since_last_visit: 20,
  })
  // sales 0.04 + 0.03 = 0.07; returns 20.00; spend −19.93; −19.93 / 2 = −9.965 → −9.97 (away from zero)
  expect(await profileOf(t.ch, run, inDebt)).toMatchObject({ visits: 2, sales: '0.07', returns: '20.00', spend: '-19.93', avg_basket: '-9.97' })
  // Lines in the window: Dairy 10.00 − 10.00 − 20.00 = −20.00 and Bakery 3.01 + 0.07 = 3.08 in all, −16.92 in total,
  // so Bakery's overall share is negative: lift 0. The first member nets Dairy to 0 (not listed), Bakery
  // 3.01 of 3.01 → share 1. The second member's lines net to −19.93 ≤ 0 → share 0 and lift 0.
  expect((await profileOf(t.ch, run, member))!.top_categories).toEqual([{ category: 'Bakery', spend: '3.01', share: 1, lift: 0 }])
  expect((await profileOf(t.ch, run, inDebt))!.top_categories).toEqual([{ category: 'Bakery', spend: '0.07', share: 0, lift: 0 }])
})

test('the window is (as_of − window, as_of]: a swipe at as_of counts, one at as_of − window does not', async () => {
  const card = makeCardNumber()
  const member = await mapCards(t.db.pg, [card])
  await insertSwipes(t.ch, [
    { card, at: '2026-06-01T01:00:00+01:00', lines: [line('A', 'Dairy', '1', '1.00')] }, // = as_of: counts
    { card, at: '2025-06-01T00:00:00Z', lines: [line('A', 'Dairy', '1', '100.00')] }, // = as_of − 365 d: out
    { card, at: '2025-06-01T00:00:00.001Z', lines: [line('A', 'Dairy', '1', '2.00')] }, // 1 ms later: in
    { card, at: '2026-06-01T00:00:00.001Z', lines: [line('A', 'Dairy', '1', '50.00')] }, // after as_of: out
  ])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)
  // visits 2: 1.00 + 2.00 = 3.00; last visit at as_of → 0 days
  expect(await profileOf(t.ch, run, member)).toMatchObject({
    visits: 2, sales: '3.00', spend: '3.00', first_visit: '2025-06-01T00:00:00.001Z', last_visit: '2026-06-01T00:00:00.000Z', days_since_last_visit: 0,
  })
  expect(await readRfm(t.ch, run)).toMatchObject([{ member_id: member, recency_days: 0, frequency: 2, monetary: '3.00' }])
})

test('median days between visits: distinct local dates, odd and even gap counts, null under two dates', async () => {
  const [odd, even, once, sameDay] = [makeCardNumber(), makeCardNumber(), makeCardNumber(), makeCardNumber()]
  const members = await Promise.all([odd, even, once, sameDay].map((c) => mapCards(t.db.pg, [c])))
  const sale = (card: string, at: string) => ({ card, at, lines: [line('A', 'Dairy', '1', '1.00')] })
  await insertSwipes(t.ch, [
    // dates May 1, 1, 3, 10, 11 → distinct 1, 3, 10, 11 → gaps 2, 7, 1 → sorted 1, 2, 7 → median 2
    // (counting the same-day pair as a 0 gap would give 0, 1, 2, 7 → 1.5)
    ...['2026-05-01T09:00:00Z', '2026-05-01T18:00:00Z', '2026-05-03T12:00:00Z', '2026-05-10T12:00:00Z', '2026-05-11T12:00:00Z'].map((at) => sale(odd, at)),
    // local dates May 1, 2 (23:30 at −05:00, which is May 3 in UTC), 3, 10, 20 → gaps 1, 1, 7, 10 → (1 + 7) / 2 = 4
    // (UTC dates 1, 3, 3, 10, 20 → gaps 2, 7, 10 → 7)
    ...['2026-05-01T12:00:00Z', '2026-05-02T23:30:00-05:00', '2026-05-03T12:00:00Z', '2026-05-10T12:00:00Z', '2026-05-20T12:00:00Z'].map((at) => sale(even, at)),
    sale(once, '2026-05-01T12:00:00Z'),
    sale(sameDay, '2026-05-01T08:00:00Z'),
    sale(sameDay, '2026-05-01T20:00:00Z'),
  ])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)
  const medians = await Promise.all(members.map(async (m) => (await profileOf(t.ch, run, m))!.median_days_between_visits))
  expect(medians).toEqual([2, 4, null, null])
})

test('preferred store: most visits, ties to the lowest id; weekday and hour in the till\'s local time', async () => {
  const card = makeCardNumber()
  const member = await mapCards(t.db.pg, [card])
  const sale = (store: string, at: string) => ({ card, store, at, lines: [line('A', 'Dairy', '1', '1.00')] })
  await insertSwipes(t.ch, [
    sale('store-b', '2026-05-04T23:30:00-05:00'), // Mon 23h local (Tue 04:30 UTC)
    sale('store-b', '2026-05-10T00:15:00+01:00'), // Sun 0h local (Sat 23:15 UTC)
    sale('store-a', '2026-05-06T12:00:00+01:00'), // Wed 12h
    sale('store-a', '2026-05-06T12:30:00+01:00'), // Wed 12h
    sale('store-c', '2026-05-08T07:00:00-05:00'), // Fri 7h local (12h UTC)
  ])
  const profile = await profileOf(t.ch, (await runBoth(t.db.pg, t.ch, AS_OF)), member)
  // store-a 2, store-b 2, store-c 1 → tie → store-a
  expect(profile!.preferred_store_id).toBe('store-a')
  // Mon 1, Tue 0, Wed 2, Thu 0, Fri 1, Sat 0, Sun 1
  expect(profile!.weekday_visits).toEqual([1, 0, 2, 0, 1, 0, 1])
  const hours = Array<number>(24).fill(0)
  hours[0] = 1
  hours[7] = 1
  hours[12] = 2
  hours[23] = 1
  expect(profile!.hour_visits).toEqual(hours)
})

test('top categories (share, lift against every card), uncategorized lines never top; top SKUs with net quantity and visits; coupon rate', async () => {
  const [card, stranger] = [makeCardNumber(), makeCardNumber()]
  const member = await mapCards(t.db.pg, [card])
  const [s1, s2] = await insertSwipes(t.ch, [
    { card, at: '2026-05-01T10:00:00Z', coupons: ['SPRING-5'], lines: [line('MILK', 'Dairy', '2', '1.50'), line('BREAD', 'Bakery', '1', '4.00')] },
    { card, at: '2026-05-02T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '1.50'), line('APPLE', 'Produce', '2', '0.50'), line('CHEESE', 'Dairy', '1', '2.00'), line('SOAP', 'Household', '1', '3.00')] },
    { card, at: '2026-05-03T10:00:00Z', lines: [line('BEER', 'Drinks', '1', '1.00'), line('NOCAT', 'TO-BE-EMPTIED', '1', '8.00'), line('CHIPS', 'Snacks', '1', '0.60'), line('PEAS', 'Frozen', '1', '0.40')] },
    // A card nobody holds: in the mix lift compares against, in the window and (BEER) before it.
    { card: stranger, at: '2026-05-05T10:00:00Z', lines: [line('MILK', 'Dairy', '10', '1.50'), line('BREAD', 'Bakery', '1', '5.00')] },
    { card: stranger, at: '2025-01-01T10:00:00Z', lines: [line('BEER', 'Drinks', '1', '100.00')] },
  ])
  await insertSwipes(t.ch, [{ card, at: '2026-05-04T10:00:00Z', kind: 'return', original: s1!.txn, lines: [line('MILK', 'Dairy', '1', '1.50')] }])
  await insertSwipes(t.ch, [{ card, at: '2026-05-04T11:00:00Z', kind: 'return', original: s2!.txn, lines: [line('SOAP', 'Household', '1', '3.00')] }])
  // Ingest refuses an empty category; rows written another way may hold one.
  await t.ch.client.command({ query: "ALTER TABLE swipe_lines UPDATE category = '' WHERE category = 'TO-BE-EMPTIED' SETTINGS mutations_sync = 2" })
  const profile = await profileOf(t.ch, await runBoth(t.db.pg, t.ch, AS_OF), member)

  // Member's net line amounts: Dairy 3.00 + 1.50 + 2.00 − 1.50 = 5.00; Bakery 4.00; Produce 1.00; Drinks 1.00;
  // Snacks 0.60; Frozen 0.40; Household 3.00 − 3.00 = 0; '' 8.00 → total 20.00.
  // Every card's: Dairy 5.00 + 15.00 = 20.00; Bakery 4.00 + 5.00 = 9.00; the rest as above → total 40.00.
  // share = amount / 20, lift = share / (overall amount / 40):
  //   Dairy 0.25 / 0.5 = 0.5; Bakery 0.2 / 0.225 = 0.88888… → 0.8889; Drinks and Produce 0.05 / 0.025 = 2;
  //   Snacks 0.03 / 0.015 = 2. Drinks before Produce (tie, by name); Frozen is sixth; '' and Household never.
  expect(profile!.top_categories).toEqual([
    { category: 'Dairy', spend: '5.00', share: 0.25, lift: 0.5 },
    { category: 'Bakery', spend: '4.00', share: 0.2, lift: 0.8889 },
    { category: 'Drinks', spend: '1.00', share: 0.05, lift: 2 },
    { category: 'Produce', spend: '1.00', share: 0.05, lift: 2 },
    { category: 'Snacks', spend: '0.60', share: 0.03, lift: 2 },
  ])
  // SKUs (an uncategorized line is still a SKU): NOCAT 8.00, BREAD 4.00, MILK 3.00 + 1.50 − 1.50 = 3.00 (2 + 1 − 1 = 2
  // units, in 2 sales), CHEESE 2.00, then APPLE 1.00 before BEER 1.00 (tie, by name); SOAP nets 0.
  expect(profile!.top_skus).toEqual([
    { sku: 'NOCAT', spend: '8.00', quantity: '1.000', visits: 1 },
    { sku: 'BREAD', spend: '4.00', quantity: '1.000', visits: 1 },
    { sku: 'MILK', spend: '3.00', quantity: '2.000', visits: 2 },
    { sku: 'CHEESE', spend: '2.00', quantity: '1.000', visits: 1 },
    { sku: 'APPLE', spend: '1.00', quantity: '2.000', visits: 1 },
  ])
  // sales 7.00 + 7.50 + 10.00 = 24.50; returns 1.50 + 3.00 = 4.50; spend 20.00; 1 of 3 visits with a coupon
  expect(profile).toMatchObject({ visits: 3, sales: '24.50', returns: '4.50', spend: '20.00', avg_basket: '6.67', coupon_visits: 1, coupon_rate: 0.3333 })
})

test('trend: recent (as_of − 90 d, as_of] against previous (as_of − 180 d, as_of − 90 d], whatever the window; null when previous ≤ 0', async () => {
  const [rising, owing] = [makeCardNumber(), makeCardNumber()]
  const member = await mapCards(t.db.pg, [rising])
  const negative = await mapCards(t.db.pg, [owing])
  // as_of − 90 d = 2026-03-03 00:00 UTC; as_of − 180 d = 2025-12-03 00:00 UTC.
  const [previousSale, , , oldSale] = await insertSwipes(t.ch, [
    { card: rising, at: '2026-03-03T00:00:00Z', lines: [line('A', 'Dairy', '2', '20.00')] }, // exactly −90 d: previous, 40.00
    { card: rising, at: '2025-12-03T00:00:00Z', lines: [line('A', 'Dairy', '1', '1000.00')] }, // exactly −180 d: neither
    { card: rising, at: '2026-04-20T00:00:00Z', lines: [line('A', 'Dairy', '1', '50.00')] }, // recent, 50.00
    { card: owing, at: '2025-11-01T00:00:00Z', lines: [line('A', 'Dairy', '1', '10.00')] },
    { card: owing, at: '2026-05-01T00:00:00Z', lines: [line('A', 'Dairy', '1', '5.00')] },
  ])
  await insertSwipes(t.ch, [
    { card: rising, at: '2026-04-02T00:00:00Z', kind: 'return', original: previousSale!.txn, lines: [line('A', 'Dairy', '1', '20.00')] }, // recent, −20.00
    { card: owing, at: '2026-01-10T00:00:00Z', kind: 'return', original: oldSale!.txn, lines: [line('A', 'Dairy', '1', '10.00')] }, // previous, −10.00
  ])
  // A 45-day window (after 2026-04-17 00:00): only the 50.00 sale is in it, the trend periods are not cut.
  const run = await runBoth(t.db.pg, t.ch, AS_OF, { profile: 45 })
  // recent 50.00 − 20.00 = 30.00; previous 40.00; 30 / 40 − 1 = −0.25
  expect(await profileOf(t.ch, run, member)).toMatchObject({
    visits: 1, sales: '50.00', returns: '0.00', days_since_last_visit: 42,
    recent_spend: '30.00', previous_spend: '40.00', recent_visits: 1, previous_visits: 1, trend: -0.25,
  })
  // recent 5.00; previous −10.00 (a return, no sale) → null
  expect(await profileOf(t.ch, run, negative)).toMatchObject({ recent_spend: '5.00', previous_spend: '-10.00', recent_visits: 1, previous_visits: 0, trend: null })
})

test('lapsed category: most earlier net spend among categories not bought in the recent 90 days (net ≤ 0), split as the trend splits; ties by name; \'\' when none', async () => {
  const [c1, c2, c3, c4, c5] = [makeCardNumber(), makeCardNumber(), makeCardNumber(), makeCardNumber(), makeCardNumber()]
  const stopped = await mapCards(t.db.pg, [c1])
  const returned = await mapCards(t.db.pg, [c2])
  const tied = await mapCards(t.db.pg, [c3])
  const recentOnly = await mapCards(t.db.pg, [c4])
  const stillBuying = await mapCards(t.db.pg, [c5])
  // as_of − 90 d = 2026-03-03 00:00 UTC: at it is earlier (the trend's previous period), 1 ms later is recent.
  const [, , , householdSale, , cakeSale] = await insertSwipes(t.ch, [
    { card: c1, at: '2026-01-10T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '10.00'), line('APPLE', 'Produce', '1', '30.00')] },
    { card: c1, at: '2026-02-01T10:00:00Z', lines: [line('STEAK', 'Meat', '1', '50.00')] },
    { card: c1, at: '2026-03-03T00:00:00Z', lines: [line('BEER', 'Drinks', '1', '12.00')] },
    { card: c2, at: '2026-01-05T10:00:00Z', lines: [line('BREAD', 'Bakery', '1', '20.00'), line('MILK', 'Dairy', '1', '6.00'), line('SOAP', 'Household', '1', '40.00')] },
    { card: c1, at: '2026-03-03T00:00:00.001Z', lines: [line('STEAK', 'Meat', '1', '1.00')] },
    { card: c2, at: '2026-04-01T10:00:00Z', lines: [line('CAKE', 'Bakery', '1', '5.00')] },
    { card: c1, at: '2026-05-01T10:00:00Z', lines: [line('APPLE', 'Produce', '1', '2.00')] },
    { card: c3, at: '2025-12-01T10:00:00Z', lines: [line('PEAS', 'Frozen', '1', '7.00'), line('HAM', 'Deli', '1', '7.00')] },
    { card: c3, at: '2026-05-01T10:00:00Z', lines: [line('CHIPS', 'Snacks', '1', '1.00')] },
    { card: c4, at: '2026-03-10T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '5.00')] },
    { card: c4, at: '2026-05-01T10:00:00Z', lines: [line('BREAD', 'Bakery', '1', '3.00')] },
    { card: c5, at: '2026-01-10T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '10.00')] },
    { card: c5, at: '2026-05-01T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '1.00')] },
  ])
  await insertSwipes(t.ch, [
    { card: c2, at: '2026-01-20T10:00:00Z', kind: 'return', original: householdSale!.txn, lines: [line('SOAP', 'Household', '1', '40.00')] },
    { card: c2, at: '2026-04-02T10:00:00Z', kind: 'return', original: cakeSale!.txn, lines: [line('CAKE', 'Bakery', '1', '5.00')] },
  ])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)
  const lapsed = async (member: string) => (await profileOf(t.ch, run, member))!.lapsed_category

  // Earlier: Dairy 10.00, Produce 30.00, Meat 50.00, Drinks 12.00 (at as_of − 90 d exactly). Recent: Produce 2.00,
  // Meat 1.00 (1 ms after the split). Produce and Meat are still bought → Drinks 12.00 over Dairy 10.00.
  // (Counting the split instant as recent would give Dairy; counting 1 ms after it as earlier, Meat.)
  expect(await lapsed(stopped)).toBe('Drinks')
  // Earlier: Bakery 20.00, Dairy 6.00, Household 40.00 − 40.00 = 0 (not positive: never lapsed). Recent: Bakery
  // 5.00 − 5.00 = 0 after the return → ≤ 0, so Bakery counts as not bought any more → Bakery over Dairy.
  expect(await lapsed(returned)).toBe('Bakery')
  // Earlier: Frozen 7.00, Deli 7.00; recent only Snacks → tie, by name → Deli.
  expect(await lapsed(tied)).toBe('Deli')
  // Every visit is recent (2026-03-10 is after the split): nothing earlier → ''.
  expect(await lapsed(recentOnly)).toBe('')
  // Dairy bought earlier and again recently → ''.
  expect(await lapsed(stillBuying)).toBe('')
})

test('a merged member\'s two cards make one profile; an erased member gets none but its lines count in the mix; a swipe written twice counts once', async () => {
  const [first, second, erasedCard] = [makeCardNumber(), makeCardNumber(), makeCardNumber()]
  const merged = await mapCards(t.db.pg, [first, second])
  await mapCards(t.db.pg, [erasedCard], 'erased')
  const twice = { card: second, store: 'store-2', txn: 'T-TWICE', at: '2026-05-20T10:00:00Z', lines: [line('BREAD', 'Bakery', '1', '10.00')] }
  for (const table of ['swipes', 'swipe_lines']) await t.ch.client.command({ query: `SYSTEM STOP MERGES ${table}` })
  await insertSwipes(t.ch, [
    { card: first, at: '2026-05-01T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '10.00')] },
    twice,
    { card: erasedCard, at: '2026-05-10T10:00:00Z', lines: [line('MILK', 'Dairy', '1', '20.00')] },
  ])
  await insertSwipes(t.ch, [twice])
  // Both copies are really there (no merge has collapsed them yet): only FINAL makes them one.
  const copies = "SELECT (SELECT count() FROM swipes WHERE txn_id = 'T-TWICE') AS swipes, (SELECT count() FROM swipe_lines WHERE txn_id = 'T-TWICE') AS lines"
  expect(await chRows(t.ch, copies)).toEqual([{ swipes: '2', lines: '2' }])
  const run = await runBoth(t.db.pg, t.ch, AS_OF)
  const profiles = await readProfiles(t.ch, run)
  // One profile, the merged member's: visits 2 (the twice-written one once), 10.00 + 10.00 = 20.00.
  expect(profiles.map((p) => p.member_id)).toEqual([merged])
  // Mix: Dairy 10.00 + 20.00 (erased) = 30.00, Bakery 10.00 → 0.75 and 0.25 of 40.00.
  // Member: 0.5 each → lift Dairy 0.5 / 0.75 = 0.6667, Bakery 0.5 / 0.25 = 2. Bakery first (tie at 10.00, by name).
  expect(profiles[0]).toMatchObject({
    visits: 2, sales: '20.00', first_visit: '2026-05-01T10:00:00.000Z', last_visit: '2026-05-20T10:00:00.000Z',
    top_categories: [
      { category: 'Bakery', spend: '10.00', share: 0.5, lift: 2 },
      { category: 'Dairy', spend: '10.00', share: 0.5, lift: 0.6667 },
    ],
    top_skus: [
      { sku: 'BREAD', spend: '10.00', quantity: '1.000', visits: 1 },
      { sku: 'MILK', spend: '10.00', quantity: '1.000', visits: 1 },
    ],
  })
  expect((await readRfm(t.ch, run)).map((r) => [r.member_id, r.frequency, r.monetary])).toEqual([[merged, 2, '20.00']])
  for (const table of ['swipes', 'swipe_lines']) await t.ch.client.command({ query: `SYSTEM START MERGES ${table}` })
})

test('the number keys\' guards stop the run: two SKUs or two member ids sharing a key fail the statement, never merge', async () => {
  // cityHash64 collisions cannot be made to order, so the statement runs with length() as the
  // key instead: 'AB' and 'CD' (and any two member ids of one length) then share a key. The
  // guards must run even though nothing reads their value (a guard in an unread column is
  // pruned by ClickHouse and passes silently, as the SKU guard once did).
  const card = makeCardNumber()
  await mapCards(t.db.pg, [card])
  await insertSwipes(t.ch, [{ card, at: '2026-05-01T10:00:00Z', lines: [line('AB', 'Dairy', '1', '1.00'), line('CD', 'Dairy', '1', '2.00')] }])
  const runId = 990_001
  await copyCardMap(t.db.pg, t.ch, runId)
  const profiles = (keyed: string) => t.ch.client.command({
    query: sql('clickhouse/queries/analytics/member-profiles').replaceAll(`cityHash64(${keyed})`, `length(${keyed})`),
    query_params: { run_id: runId, as_of: clickhouseTime(new Date(AS_OF)), window_days: 365 },
  })
  try {
    await expect(profiles('sku')).rejects.toThrow('two SKUs share a cityHash64')
    await mapCards(t.db.pg, [makeCardNumber()]) // a second member id, of the same length
    await t.ch.client.command({ query: `DELETE FROM card_members WHERE run_id = ${runId}` })
    await copyCardMap(t.db.pg, t.ch, runId)
    await expect(profiles('member_id')).rejects.toThrow('two member ids share a cityHash64')
    expect(await chRows(t.ch, `SELECT count() AS n FROM member_profiles WHERE run_id = ${runId}`)).toEqual([{ n: '0' }])
  } finally {
    await t.ch.client.command({ query: `DELETE FROM card_members WHERE run_id = ${runId}` })
  }
})
