import { checkClvFilter } from '../analytics/clv-filters'
import { parseScaled } from '../platform/decimal'
import { AppError, type ProblemDetail } from '../platform/http/errors'
import { parseBody } from '../platform/http/validate'
import { CampaignFieldsSchema, type CampaignFields } from './campaign.schemas'

/**
 * The rules across a campaign's fields (docs/campaigns.md "A campaign") that the field schemas
 * cannot say alone. Each broken rule is one problem naming the field it is about.
 */
export function campaignProblems(fields: CampaignFields, frequencyCap: number): ProblemDetail[] {
  const problems: ProblemDetail[] = []
  const add = (path: string, message: string) => problems.push({ path: `$.${path}`, message })
  const { offer, audience } = fields
  if (Date.parse(fields.valid_until) <= Date.parse(fields.valid_from)) add('valid_until', 'must be later than valid_from')
  if (offer.kind === 'percent' && parseScaled(offer.value, 2)! > 10_000n) add('offer.value', 'a percent offer is at most 100')
  if (offer.kind !== 'percent' && offer.max_discount !== undefined) add('offer.max_discount', 'only a percent offer has a max_discount')
  const fixedCategory = offer.scope.type === 'category' ? offer.scope.category : undefined
  if (fields.personalisation !== 'none' && (offer.scope.type !== 'category' || fixedCategory !== undefined)) {
    add('personalisation', `${fields.personalisation} chooses each member's category: it needs offer.scope {"type": "category"} without a category`)
  }
  if (fields.personalisation === 'none' && offer.scope.type === 'category' && fixedCategory === undefined) {
    add('offer.scope.category', "is required when personalisation is 'none'")
  }
  if (audience.min_days_since_visit !== undefined && audience.max_days_since_visit !== undefined && audience.min_days_since_visit > audience.max_days_since_visit) {
    add('audience.max_days_since_visit', 'must not be less than min_days_since_visit')
  }
  if (audience.min_spend !== undefined && audience.max_spend !== undefined && parseScaled(audience.min_spend, 2)! > parseScaled(audience.max_spend, 2)!) {
    add('audience.max_spend', 'must not be less than min_spend')
  }
  checkClvFilter(audience, { addIssue: (issue: { path?: PropertyKey[]; message?: string }) => add(`audience.${String(issue.path?.[0])}`, String(issue.message)) } as never)
  if (fields.frequency_cap !== undefined && fields.frequency_cap > frequencyCap) {
    add('frequency_cap', `must be at most ${frequencyCap}, the platform's cap (CAMPAIGN_FREQUENCY_CAP)`)
  }
  // Stored as numeric(5, 4): more places would be rounded away, and the split would differ from what was asked.
  if (!/^\d(\.\d{1,4})?$/.test(String(fields.holdout_share))) add('holdout_share', 'has at most 4 decimal places')
  return problems
}

/** `input` as campaign fields, or one 400 naming every problem: the schema's first, then the rules'. */
export function parseCampaignFields(input: unknown, frequencyCap: number): CampaignFields & { frequency_cap: number } {
  const fields = parseBody(CampaignFieldsSchema, input)
  const problems = campaignProblems(fields, frequencyCap)
  if (problems.length > 0) throw AppError.badRequest('the campaign is not valid', problems)
  return { ...fields, frequency_cap: fields.frequency_cap ?? frequencyCap }
}
