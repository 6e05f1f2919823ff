import { z } from 'zod'
import { SEGMENT_SLUGS } from '../analytics/segments'
import { ClvFilterFields } from '../analytics/clv-filters'
import { decimalSchema } from '../platform/decimal.schema'

/**
 * What a campaign is made of (docs/campaigns.md "A campaign"): who it targets, what it offers,
 * how the offer is made personal, and its caps. Stored as given (jsonb) on the campaign row;
 * every reader parses it with these schemas.
 */

const money = () => decimalSchema(2, { min: '0', max: '10000000' })
const category = z.string().trim().min(1).max(120)
const sku = z.string().regex(/^[A-Za-z0-9._:\/-]+$/, 'letters, digits and . _ : / - only').min(1).max(64)

/**
 * The audience: members of the newest published analytics runs that meet every condition
 * given (an empty audience is every profiled member). Consent to personalised offers, the
 * frequency cap and the holdout are applied after it, always.
 */
export const AudienceSchema = z.strictObject({
  /** RFM segments (newest RFM run): the member's segment is one of them. */
  segments: z.array(z.enum(SEGMENT_SLUGS as [string, ...string[]])).min(1).optional(),
  /** Tiers (now): the member's tier is one of them. */
  tiers: z.array(z.string().min(1).max(40)).min(1).optional(),
  /** "Buys baby products": each category is among the member's top categories (newest profile run). */
  buys_categories: z.array(category).min(1).max(20).optional(),
  /** "No visit for 30 days": days since the last visit, at least / at most. */
  min_days_since_visit: z.number().int().min(0).max(3660).optional(),
  max_days_since_visit: z.number().int().min(0).max(3660).optional(),
  /** "Spend over X": net spend over the profile window, at least / at most. */
  min_spend: money().optional(),
  max_spend: money().optional(),
  min_visits: z.number().int().min(0).optional(),
  /** CLV and P(alive) (newest CLV run), as in GET /v1/segments/:name/members. */
  ...ClvFilterFields,
})
export type Audience = z.infer<typeof AudienceSchema>

/**
 * The offer template. `scope` says which lines the discount applies to: the whole basket, one
 * category (the personalisation rule may choose it per member), or a list of SKUs.
 */
export const OfferSchema = z.strictObject({
  kind: z.enum(['percent', 'amount']),
  /** Percent off (1 to 100) or an amount off, in the swipe's currency. */
  value: decimalSchema(2, { min: '0', max: '100000', minExclusive: true }),
  /** Percent offers: the most one coupon takes off. */
  max_discount: decimalSchema(2, { min: '0', max: '100000', minExclusive: true }).optional(),
  scope: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('basket') }),
    z.strictObject({ type: z.literal('category'), category: category.optional() }),
    z.strictObject({ type: z.literal('skus'), skus: z.array(sku).min(1).max(200) }),
  ]),
  /** The basket (Σ quantity × unit_price, before discounts) must reach this. */
  min_basket: money().default('0.00'),
})
export type Offer = z.infer<typeof OfferSchema>

export const PERSONALISATIONS = ['none', 'top_category', 'lapsed_category'] as const
export type Personalisation = (typeof PERSONALISATIONS)[number]

/** POST /v1/campaigns (a draft); PATCH takes the same fields, each optional. */
export const CampaignFieldsSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  audience: AudienceSchema.default({}),
  offer: OfferSchema,
  /** none: the offer's own scope; top_category / lapsed_category: the member's, chosen per member. */
  personalisation: z.enum(PERSONALISATIONS).default('none'),
  /** The most the campaign's redemptions may take off in all; absent: no cap. */
  budget: decimalSchema(2, { min: '0', max: '100000000', minExclusive: true }).optional(),
  /** Share of the eligible audience kept as a holdout (no coupon, measured alike), e.g. 0.1. */
  holdout_share: z.number().min(0).max(0.5).default(0.1),
  /** No member gets more than this many offers in 30 days, across all campaigns (default CAMPAIGN_FREQUENCY_CAP). */
  frequency_cap: z.number().int().min(1).max(100).optional(),
  valid_from: z.iso.datetime({ offset: true }),
  valid_until: z.iso.datetime({ offset: true }),
})
export type CampaignFields = z.infer<typeof CampaignFieldsSchema>
