import { json, notFound, pathParameter, problem, staffOperation } from '../platform/http/parts.openapi'

const idParameter = pathParameter('id', { type: 'integer', minimum: 1 }, "The campaign's id")

const accepted = {
  description: 'Queued (or already launching): `{job_id, status_url}`; Location is the status URL (GET /v1/jobs/{id})',
  headers: { Location: { description: "GET it for the launch's stage and progress", schema: { type: 'string' } } },
  content: json({ type: 'object', required: ['job_id', 'status_url'], properties: { job_id: { type: 'string' }, status_url: { type: 'string' } } }),
}

/** Launching and cancelling a campaign (keep in sync with launch.router.ts). */
export function launchOpenApi() {
  return {
    schemas: {},
    paths: {
      '/v1/campaigns/{id}/launch': {
        post: staffOperation(['marketer'], {
          summary: 'Launch a draft campaign: assign the audience and issue the coupons',
          description:
            "The campaign becomes `launching` and an `offers` job is queued (docs/campaigns.md \"Launch\"): it assigns treated and " +
            'holdout members, issues one coupon per treated member who still consents, copies the issued events to ClickHouse and ' +
            "marks the campaign `launched`. Asking again while it is launching answers the same job; if that job failed for good, a " +
            'new one resumes where it stopped (no coupon is issued twice). The job\'s result: treated, holdout, issued, seconds per stage.',
          parameters: [idParameter],
          responses: {
            '202': accepted,
            '404': notFound('campaign'),
            '409': problem('The campaign is already launched, or cancelled'),
          },
        }),
      },
      '/v1/campaigns/{id}/cancel': {
        post: staffOperation(['marketer'], {
          summary: 'Cancel a draft campaign',
          parameters: [idParameter],
          responses: {
            '200': { description: '`{id, state: "cancelled"}`', content: json({ type: 'object', properties: { id: { type: 'integer' }, state: { const: 'cancelled' } } }) },
            '404': notFound('campaign'),
            '409': problem('Only a draft can be cancelled: the campaign is launching, launched or already cancelled'),
          },
        }),
      },
    },
  }
}
