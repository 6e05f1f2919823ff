import { z } from 'zod'
import { decimalSchema } from '../platform/decimal.schema'

/**
 * GET /v1/campaigns/:id/report (report.router.ts). Strict: a misspelt parameter is a 400, as a
 * silently ignored `margin` would change the ROI without saying so.
 */
export const CampaignReportQuerySchema = z.strictObject({
  /** Narrows the window's start (ISO 8601 with an offset); at or after valid_from. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Narrows the window's end (not included); at or before valid_until. */
  to: z.iso.datetime({ offset: true }).optional(),
  /** The share of incremental revenue that is profit, 0 < margin ≤ 1 (default 1: revenue-based ROI). */
  margin: decimalSchema(4, { min: '0', max: '1', minExclusive: true }).default('1.0000'),
})
export type CampaignReportQuery = z.infer<typeof CampaignReportQuerySchema>
