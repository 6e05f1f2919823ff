import { invalid, ok, pathParameter, problem, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import { CampaignReportQuerySchema } from './report.schemas'

/** GET /v1/campaigns/{id}/report (keep in sync with report.router.ts and docs/campaigns.md "Report"). */
export function reportOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/campaigns/{id}/report': {
        get: staffOperation(['marketer', 'analyst'], {
          summary: 'What a campaign changed: treated against holdout',
          description:
            'Over the window `[valid_from, min(valid_until, now))`, narrowed by `from` and `to` (both inside the campaign; ' +
            '`window` says which was used): `coupons` (`issued`, all of them; `redeemed` in the window; `redemption_rate`; ' +
            '`discount_cost`, Σ redeemed discounts), `groups.treated` and `groups.holdout` (`members`, every assigned member, ' +
            'those without a swipe as 0; `revenue`, net of returns; `visits`, sale swipes; `revenue_per_member`; ' +
            '`visits_per_member`), `incremental` (`revenue_per_member` and `visits_per_member`: treated mean − holdout mean ' +
            'with a Welch 95% interval `ci95`, `std_error` and `df`, numbers in the `unit` named; `revenue_total`, per member × ' +
            'treated members), `roi` (`(revenue_total × margin − discount_cost) / discount_cost` with its interval; `margin` ' +
            'default 1, revenue-based) and `daily` (per UTC day, revenue per member of each group). Money is decimal text ' +
            'with 2 places. A figure that is undefined (no holdout, no discount cost) is null with a `reason`.',
          parameters: [pathParameter('id', { type: 'string', examples: ['42'] }, 'The campaign id'), ...queryParameters(CampaignReportQuerySchema)],
          responses: {
            '200': ok('`{campaign, window, coupons, groups, incremental, roi, daily}`'),
            '400': invalid,
            '404': problem('No such campaign'),
            '409': problem('The campaign is a draft, or its launch has not assigned the groups yet'),
          },
        }),
      },
    },
  }
}
