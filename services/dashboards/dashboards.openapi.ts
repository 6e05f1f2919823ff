import { body, inputSchema, invalid, notFound, ok, pathParameter, problem, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import { GridQuerySchema, MAX_RANGE_DAYS, RangeQuerySchema, TargetsBodySchema } from './dashboards.schemas'

const READERS = ['marketer', 'analyst'] as const
const rangeNote =
  '`from` and `to` are UTC days, both included. Default: the last 30 days ending today (UTC); with `from` only, 30 days from it ' +
  `(not past today). At most ${MAX_RANGE_DAYS} days; \`to\` before \`from\` is a 400. Amounts are text with 2 decimals.`
const targetsAnswer = '`{store_id, store_name, targets: [{month: "YYYY-MM", sales: "125000.00"}]}`, oldest month first'

/**
 * The console's read API and stores' targets (keep in sync with dashboards.router.ts,
 * targets.router.ts and docs/dashboards.md).
 */
export function dashboardsOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/dashboard/overview': {
        get: staffOperation(READERS, {
          summary: 'Swipes, sales, basket, active cards, points and coupons per day and in total',
          description:
            '`{from, to, totals, days}`. Each day: `{day, swipes, sale_swipes, return_swipes, sales (net of returns), average_basket ' +
            '(gross sales ÷ sales, null without a sale), active_cards (distinct cards with a sale), points_issued, points_redeemed}`; ' +
            'every day of the range is listed, zeros included. `totals` has the same figures over the range (active_cards counts a ' +
            'card once) plus `coupons_issued`, `coupons_redeemed` (of those issued in the range) and `coupon_redemption_rate` ' +
            `(4 decimals, null when none was issued). ${rangeNote}`,
          parameters: queryParameters(RangeQuerySchema),
          responses: { '200': ok('`{from, to, totals, days: [...]}`'), '400': invalid },
        }),
      },
      '/v1/dashboard/stores': {
        get: staffOperation(READERS, {
          summary: 'Net sales per store against its target for the period, with a weekly trend',
          description:
            '`{from, to, weeks, stores}`; each store: `{store_id, name, net_sales, target, attainment_pct, trend: [{week, net_sales}]}`. ' +
            "`target` prorates each month's target by the period's days in that month, and is null unless every month the period " +
            'touches has a target; `attainment_pct` is net_sales ÷ target × 100 with one decimal (null without a target). Weeks start ' +
            'on Monday (the first and last may be partial). Best attainment first; stores without a target last, by name. ' +
            rangeNote,
          parameters: queryParameters(RangeQuerySchema),
          responses: { '200': ok('`{from, to, weeks: ["YYYY-MM-DD"], stores: [...]}`'), '400': invalid },
        }),
      },
      '/v1/segments/grid': {
        get: staffOperation(READERS, {
          summary: 'The RFM R × F grid of one run',
          description:
            '`{run: {id, as_of, window_days, finished_at}, members, revenue, cells}`: always 25 cells, R = 5 down to 1 and F = 1 to 5, ' +
            'each `{r, f, segment, members, revenue}` (revenue: Σ monetary, text with 2 decimals; 0 when empty). Default run: the ' +
            'newest done RFM run.',
          parameters: queryParameters(GridQuerySchema),
          responses: { '200': ok('`{run, members, revenue, cells: [...]}`'), '400': invalid, '404': problem('No such done RFM run, or none published yet') },
        }),
      },
      '/v1/stores/{id}/targets': {
        get: staffOperation(['marketer', 'analyst', 'support'], {
          summary: "A store's monthly sales targets",
          parameters: [pathParameter('id', { type: 'string' }, 'The store id (sto_…)')],
          responses: { '200': ok(targetsAnswer), '404': notFound('store') },
        }),
        put: staffOperation([], {
          summary: "Set a store's monthly sales targets",
          description:
            'Sets the months given (1–120, each at most once) and leaves the others; `sales` is a decimal string with at most 2 ' +
            'places, 0 … 999999999999.99. Each bad item is named in `errors` by its path (`$[2].sales`). Answers with all the ' +
            "store's targets.",
          parameters: [pathParameter('id', { type: 'string' }, 'The store id (sto_…)')],
          requestBody: body(inputSchema(TargetsBodySchema)),
          responses: { '200': ok(targetsAnswer), '400': invalid, '404': notFound('store') },
        }),
      },
    },
  }
}
