import { body, inputSchema, invalid, json, notFound, pathParameter, problem, queryParameters, staffOperation } from '../platform/http/parts.openapi'
import { CampaignFieldsSchema } from './campaign.schemas'
import { CampaignListQuerySchema } from './campaigns.router'
import { PreviewRequestSchema } from './preview'

const idParameter = pathParameter('id', { type: 'integer', minimum: 1 }, "The campaign's id")
const campaign = (description: string) => ({
  description,
  content: json({ type: 'object', description: 'The campaign: its fields as given (money as text with 2 decimals), `id`, `state`, `spent`, `created_by`, `created_at`, `updated_at`, and the launch fields (null until launched)' }),
})
const rules =
  'Besides each field\'s own checks: `valid_until` after `valid_from`; a percent `offer.value` at most 100; `max_discount` only ' +
  "for percent offers; `top_category` and `lapsed_category` need `offer.scope` `{\"type\": \"category\"}` without a category, and " +
  "`none` with a category scope needs one; each `min_*` at most its `max_*`; `frequency_cap` at most CAMPAIGN_FREQUENCY_CAP (its " +
  'default); `holdout_share` with at most 4 places. Each broken rule is one entry of `errors`, named by its path.'

/** Campaign definitions and the preview (keep in sync with campaigns.router.ts and docs/campaigns.md). */
export function campaignsOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/campaigns': {
        post: staffOperation(['marketer'], {
          summary: 'Create a draft campaign',
          description: `docs/campaigns.md "A campaign". ${rules}`,
          requestBody: body(inputSchema(CampaignFieldsSchema)),
          responses: { '201': campaign('The new draft; Location is its URL'), '400': invalid },
        }),
        get: staffOperation(['marketer', 'analyst'], {
          summary: 'List campaigns, newest first',
          description: 'A keyset page: `{campaigns: [...], next}`; pass `next` as `before` for the following page (null on the last).',
          parameters: queryParameters(CampaignListQuerySchema),
          responses: { '200': { description: '`{campaigns, next}`', content: json({ type: 'object' }) }, '400': invalid },
        }),
      },
      '/v1/campaigns/{id}': {
        get: staffOperation(['marketer', 'analyst'], {
          summary: 'One campaign',
          parameters: [idParameter],
          responses: { '200': campaign('The campaign'), '404': notFound('campaign') },
        }),
        patch: staffOperation(['marketer'], {
          summary: 'Change a draft campaign',
          description:
            'The fields given replace the stored ones whole (`audience` and `offer` too); `null` removes an optional field (`budget`, ' +
            `\`frequency_cap\` back to the default). The result is checked as a new campaign is. ${rules}`,
          parameters: [idParameter],
          requestBody: body({ type: 'object', description: 'Any of the fields of POST /v1/campaigns' }),
          responses: { '200': campaign('The changed draft'), '400': invalid, '404': notFound('campaign'), '409': problem('The campaign is no longer a draft') },
        }),
      },
      '/v1/campaigns/{id}/preview': {
        post: staffOperation(['marketer'], {
          summary: 'What the campaign would do if launched now',
          description:
            'docs/campaigns.md "Preview": members at each step (`funnel`: audience, after_consent, after_frequency_cap, ' +
            'after_personalisation, holdout, treated), the treated members\' offers by category, the expected cost (min(budget, Σ ' +
            "expected discount of the treated × redemption rate), with the rate used and its source), the analytics runs read, " +
            'and the seconds taken. The groups are the ones a launch now would assign.',
          parameters: [idParameter],
          requestBody: { ...body(inputSchema(PreviewRequestSchema)), required: false },
          responses: {
            '200': { description: '`{campaign_id, funnel, offers_by_category, expected_cost, runs, seconds}`', content: json({ type: 'object' }) },
            '400': invalid,
            '404': notFound('campaign'),
            '409': problem('No profiles run published yet, or no RFM / CLV run when the audience filters on them'),
          },
        }),
      },
    },
  }
}
