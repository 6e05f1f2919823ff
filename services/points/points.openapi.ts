import { STAFF_ROLES } from '../platform/auth/auth.middleware'
import {
  body,
  json,
  componentSchemas,
  invalid,
  notFound,
  ok,
  pathParameter,
  problem,
  queryParameters,
  ref,
  staffOperation,
  tillOperation,
} from '../platform/http/parts.openapi'
import { BaseRateSchema, BonusRuleSchema, EarningRulesSchema, MultiplierRuleSchema, TierMultiplierSchema } from './earning-rules.schemas'
import {
  AdjustmentRequestSchema,
  ExpiringQuerySchema,
  LiabilityQuerySchema,
  MemberIdSchema,
  PageQuerySchema,
  RedeemRequestSchema,
  RedemptionIdSchema,
} from './points.schemas'
import { TierSchema, TiersSchema } from './tiers.schemas'

const memberId = pathParameter('id', MemberIdSchema, 'The member id (mem_…)')
const replayed = { 'Idempotent-Replayed': { description: '"true" on a repeat: the body is the first answer', schema: { type: 'string' } } }
const etag = { ETag: { description: 'The version, quoted ("12"): send it back as If-Match', schema: { type: 'string' } } }
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'The version the edit is based on, as the ETag gave it; absent: no check',
  schema: { type: 'string', examples: ['"12"'] },
}
/** A stored version: the document as saved (every list present, decimals in canonical form). */
const versioned = (field: 'rules' | 'tiers', component: string) => ({
  description: `Version ${field === 'rules' ? 'of the earning rules' : 'of the tier ladder'}`,
  content: json({
    type: 'object',
    required: ['version', 'created_at', 'created_by', field],
    properties: {
      version: { type: 'integer' },
      created_at: { type: 'string', format: 'date-time' },
      created_by: { type: ['string', 'null'], description: 'the staff user who saved it' },
      [field]: ref(component),
    },
  }),
})
const versionPage = ok('`{versions: [{version, created_at, created_by}], next_before}`, newest first (`next_before` null at the end)')
const staleVersion = problem('If-Match names an older version: someone saved in between (code version_mismatch)')

/**
 * The points area (keep in sync with points.router.ts and redemptions.router.ts; role table in
 * docs/points.md): redemptions for tills, adjustments and views for support, earning rules
 * and tiers as versioned documents, the liability report for analysts.
 */
export function pointsOpenApi() {
  return {
    schemas: componentSchemas({
      RedeemRequest: RedeemRequestSchema,
      AdjustmentRequest: AdjustmentRequestSchema,
      EarningRules: EarningRulesSchema,
      BaseRate: BaseRateSchema,
      MultiplierRule: MultiplierRuleSchema,
      TierMultiplier: TierMultiplierSchema,
      BonusRule: BonusRuleSchema,
      Tiers: TiersSchema,
      Tier: TierSchema,
    }),
    paths: { ...redemptionPaths(), ...memberPointsPaths(), ...configurationPaths() },
  }
}

function redemptionPaths() {
  return {
    '/v1/redemptions': {
      post: tillOperation({
        summary: 'Redeem points as tender',
        description:
          'Books a redeem entry drawing the lots expiring first, if the points usable now suffice. Idempotent per (store, ' +
          'request_id): the same body again answers 200 with the first answer; another body is 409 request_id_conflict. ' +
          '`occurred_at` defaults to receipt; up to CLOCK_SKEW_SECONDS ahead is accepted.',
        requestBody: body(ref('RedeemRequest')),
        responses: {
          '201': ok('`{redemption_id, request_id, card, points, balance, occurred_at}` (card masked)'),
          '200': { ...ok('A repeat: the first answer'), headers: replayed },
          '400': invalid,
          '404': problem('No member has this card (code card_not_found)'),
          '409': problem(
            'insufficient_points (with requested and available), card_blocked, registration_required, member_not_eligible or request_id_conflict',
          ),
        },
      }),
    },
    '/v1/redemptions/{id}/cancel': {
      post: tillOperation({
        summary: "Cancel a redemption: the points go back into the lots it drew",
        description: "Only the redemption's own store can cancel it. Cancelling again answers the first cancel.",
        parameters: [pathParameter('id', RedemptionIdSchema, 'The redemption id (red_…)')],
        responses: {
          '200': { ...ok('`{redemption_id, status: "cancelled", points, balance, cancelled_at}`'), headers: replayed },
          '404': problem('No such redemption at this store'),
        },
      }),
    },
  }
}

function memberPointsPaths() {
  return {
    '/v1/members/{id}/points/adjustments': {
      post: staffOperation(['support'], {
        summary: 'Add or take points (a correction or goodwill), audited',
        description: 'Adding opens a lot expiring like earned points; taking never goes beyond the points usable now.',
        parameters: [memberId],
        requestBody: body(ref('AdjustmentRequest')),
        responses: {
          '201': ok('`{ledger_id, member_id, points, reason, balance_before, balance, expires_at}`'),
          '400': invalid,
          '404': notFound('member'),
          '409': problem('insufficient_points (with available), member_merged or member_erased'),
        },
      }),
    },
    '/v1/members/{id}/ledger': {
      get: staffOperation(['support', 'analyst'], {
        summary: "A member's ledger entries, newest first",
        description: 'Pages by entry id: pass `next_before` as `before` for the next page.',
        parameters: [memberId, ...queryParameters(PageQuerySchema)],
        responses: { '200': ok('`{member_id, entries, next_before}`'), '400': invalid, '404': notFound('member') },
      }),
    },
    '/v1/members/{id}/expiring': {
      get: staffOperation(['support', 'analyst'], {
        summary: "A member's points expiring within `days`, per expiry instant",
        parameters: [memberId, ...queryParameters(ExpiringQuerySchema)],
        responses: { '200': ok('`{member_id, as_of, days, total, expiring: [{expires_at, points}]}`'), '400': invalid, '404': notFound('member') },
      }),
    },
    '/v1/points/liability': {
      get: staffOperation(['analyst'], {
        summary: 'Outstanding points, expiry by month and breakage by month',
        description: 'All figures whole points, from one snapshot; months are UTC calendar months.',
        parameters: queryParameters(LiabilityQuerySchema),
        responses: {
          '200': ok(
            '`{as_of, outstanding_points, members_with_points, debt_points, lots_remaining, expired_unswept, expiry_by_month, breakage_by_month}`',
          ),
          '400': invalid,
        },
      }),
    },
  }
}

function configurationPaths() {
  return {
    '/v1/earning-rules': {
      get: staffOperation(STAFF_ROLES, {
        summary: 'The earning rules in force (newest version)',
        responses: { '200': { ...versioned('rules', 'EarningRules'), headers: etag } },
      }),
      put: staffOperation(['marketer'], {
        summary: 'Save a new version of the earning rules, audited',
        description:
          'The whole document. Identical to the newest version: 200, nothing stored. History rule: a rule in force before now ' +
          'keeps everything but `valid_to` (moved to now or later while it runs) and cannot be deleted; a new rule must not ' +
          'start in the past (409 rewrites_history, one entry per offending rule and field).',
        parameters: [ifMatch],
        requestBody: body(ref('EarningRules')),
        responses: {
          '201': { ...versioned('rules', 'EarningRules'), headers: etag },
          '200': { ...ok('Unchanged: the newest version'), headers: etag },
          '400': invalid,
          '409': problem('The edit rewrites history (code rewrites_history)'),
          '412': staleVersion,
        },
      }),
    },
    '/v1/earning-rules/versions': {
      get: staffOperation(STAFF_ROLES, {
        summary: 'Earning rules versions, newest first',
        parameters: queryParameters(PageQuerySchema),
        responses: { '200': versionPage, '400': invalid },
      }),
    },
    '/v1/earning-rules/versions/{version}': {
      get: staffOperation(STAFF_ROLES, {
        summary: 'One version of the earning rules',
        parameters: [pathParameter('version', { type: 'string', pattern: '^[1-9]\\d{0,8}$' }, 'The version number')],
        responses: { '200': versioned('rules', 'EarningRules'), '404': notFound('version') },
      }),
    },
    '/v1/tiers': {
      get: staffOperation(STAFF_ROLES, {
        summary: 'The tier ladder in force (newest version)',
        responses: { '200': { ...versioned('tiers', 'Tiers'), headers: etag } },
      }),
      put: staffOperation(['admin'], {
        summary: 'Save a new version of the tier ladder, audited',
        description:
          'Lowest tier first, starting at 0.00, thresholds strictly rising. Applies to upgrades from the next swipe and to ' +
          'downgrades at the next review. Identical to the newest version: 200, nothing stored.',
        parameters: [ifMatch],
        requestBody: body(ref('Tiers')),
        responses: {
          '201': { ...versioned('tiers', 'Tiers'), headers: etag },
          '200': { ...ok('Unchanged: the newest version'), headers: etag },
          '400': invalid,
          '412': staleVersion,
        },
      }),
    },
    '/v1/tiers/versions': {
      get: staffOperation(STAFF_ROLES, {
        summary: 'Tier ladder versions, newest first',
        parameters: queryParameters(PageQuerySchema),
        responses: { '200': versionPage, '400': invalid },
      }),
    },
  }
}
