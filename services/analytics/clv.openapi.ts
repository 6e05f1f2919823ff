import { invalid, notFound, ok, pathParameter, problem, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import { ClvQuerySchema, MemberIdSchema, MemberValueQuerySchema } from './analytics.schemas'

const VALUE_ROLES = ['marketer', 'support'] as const
const CLV_ROLES = ['marketer', 'analyst'] as const
const notes =
  'Only done CLV runs are read; a run whose rows retention dropped (`pruned`) is as good as unknown. Money is text with 2 ' +
  'decimals; a float the models could not give as a number (NaN or ±Infinity, possible when a fit did not converge) is null.'
const models =
  '`models`: `{bgnbd, gamma_gamma}`, each `{params, log_likelihood, iterations, converged, members, note}` or null when not ' +
  'fitted; `converged: false` means the scores use the last parameters the fit reached.'

/**
 * The CLV read routes (keep in sync with analytics.router.ts and docs/clv.md "API"). The CLV
 * filters of a segment's members are documented with that route (analytics.openapi.ts).
 */
export function clvOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/members/{id}/value': {
        get: staffOperation(VALUE_ROLES, {
          summary: "A member's lifetime value and churn risk",
          description:
            'From the newest done CLV run (docs/clv.md): `p_alive`, `churn_risk`, `churn_band` (low, medium, high), ' +
            '`expected_visits_30`, `_90`, `_365`, `expected_spend_per_visit` and `clv` (null when the spend model is unusable), ' +
            "the member's `history` as the models saw it (`x`, `t_x_days`, `t_x_weeks`, `T_days`, `T_weeks`, `m`), the `run` " +
            `(\`id, as_of, horizon_months, monthly_discount, finished_at\`) and the fit diagnostics. ${models} ${notes}`,
          parameters: [pathParameter('id', MemberIdSchema, 'The member id (mem_…)'), ...queryParameters(MemberValueQuerySchema)],
          responses: {
            '200': ok('`{member_id, run, p_alive, churn_risk, churn_band, expected_visits_30, …, clv, history, models}`'),
            '400': invalid,
            '404': notFound('member, no CLV run published, or no value for them in the newest run (a merged member: the problem names the member it was merged into)'),
          },
        }),
      },
      '/v1/clv': {
        get: staffOperation(CLV_ROLES, {
          summary: 'Lifetime value and churn risk over the members of one CLV run',
          description:
            'The run (default the newest done CLV run), its models with parameters and diagnostics, `members_valued`, ' +
            '`members_without_clv`, `total_clv`, `mean_p_alive`; `churn_bands`: low, medium, high, each with `members`, `share`, ' +
            '`members_without_clv`, `total_clv`, `clv_share` and `mean_p_alive`; `clv_deciles`: the members with a CLV ranked by ' +
            'it (ties by member id) in ten groups, decile 1 the highest, each with `members`, `min_clv`, `max_clv`, `total_clv`, ' +
            `\`clv_share\`, \`mean_p_alive\` (empty deciles left out). ${models} ${notes}`,
          parameters: queryParameters(ClvQuerySchema),
          responses: {
            '200': ok('`{run, models, members_valued, members_without_clv, total_clv, mean_p_alive, churn_bands, clv_deciles}`'),
            '400': invalid,
            '404': problem('No such done CLV run, or none published yet'),
          },
        }),
      },
    },
  }
}
