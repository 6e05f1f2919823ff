import { insertSwipes, mapCards, type AnalyticsSwipe } from './analytics'
import { makeCardNumber } from './factories'
import type { TestPlatform } from './platform'
import { runAnalytics } from '../../services/analytics/run-analytics'
import { seededRandom } from '../../services/platform/seeded-random'

/** The CLV settings the CLV read tests run with. */
export const TEST_CLV_SETTINGS = { horizonMonths: 12, monthlyDiscount: 0.01, gammaGammaFitMembers: 1000 }

export interface ClvShopper {
  memberId: string
  /** 'lapsed': bought regularly until a day well before as_of, then never again. */
  kind: 'lapsed' | 'active' | 'once'
  visits: number
}


const DAY = 86_400_000

/**
 * Shoppers with a realistic dropout, all before `asOf`: two in five buy regularly (each with
 * their own gap and basket size) from a start in the two years before until a stop day, then
 * never again; two in five are still buying; one in five bought once. Each holds one card.
 */
export async function makeClvShoppers(platform: TestPlatform, asOf: string, count: number, seed = 7): Promise<ClvShopper[]> {
  const random = seededRandom(seed)
  const end = Date.parse(asOf) - DAY
  const shoppers: ClvShopper[] = []
  const swipes: AnalyticsSwipe[] = []
  for (let i = 0; i < count; i++) {
    const kind = (['lapsed', 'lapsed', 'active', 'active', 'once'] as const)[i % 5]!
    const card = makeCardNumber()
    const memberId = await mapCards(platform.db.pg, [card])
    const start = end - (60 + Math.floor(random() * 640)) * DAY
    const stop = kind === 'lapsed' ? start + Math.floor(random() * (end - 45 * DAY - start)) : end
    const gapDays = 4 + random() * 26
    const basket = 5 + random() * 60
    let visits = 0
    for (let at = start; at <= stop; at += Math.max(1, Math.round(gapDays * (0.4 + 1.2 * random()))) * DAY) {
      const price = (basket * (0.7 + 0.6 * random())).toFixed(2)
      swipes.push({ card, at: new Date(at + 11 * 3_600_000).toISOString().replace('Z', '+00:00'), lines: [{ sku: 'SKU-1', category: 'Grocery', quantity: '1', unit_price: price }] })
      visits++
      if (kind === 'once') break
    }
    shoppers.push({ memberId, kind, visits })
  }
  await insertSwipes(platform.ch, swipes)
  return shoppers
}

/** An RFM and CLV run as of `asOf`; its id. */
export async function runClv(platform: TestPlatform, asOf: string, kinds: ('rfm' | 'clv' | 'profiles')[] = ['rfm', 'clv']) {
  return runAnalytics(
    { pg: platform.db.pg, ch: platform.ch, logger: platform.logger, clock: () => new Date(asOf) },
    { kinds, asOf: new Date(asOf), profileWindowDays: 365, rfmWindowDays: 365, clv: TEST_CLV_SETTINGS },
    { profileKeepRuns: 2, rfmKeepDays: 730 },
  )
}
