import { Router, type Request } from 'express'
import type { RouterDeps } from '../app'
import { requireStaff } from '../platform/auth/auth.middleware'
import { parseQuery } from '../platform/http/validate'
import {
  ClvQuerySchema,
  MemberSegmentsQuerySchema,
  MemberValueQuerySchema,
  ProfileQuerySchema,
  SegmentHistoryQuerySchema,
  SegmentMembersQuerySchema,
  SegmentMigrationQuerySchema,
  SegmentsQuerySchema,
} from './analytics.schemas'
import { memberProfile } from './member-profile'
import { memberSegments } from './member-segments'
import { clvReport, memberValue } from './read-clv'
import { segmentHistoryReport, segmentMigrationReport, segmentsReport } from './read-segments'
import { csvExportOf, listSegmentMembers, sendSegmentCsv } from './segment-members'

/** The CSV when asked for by `format=csv`, or by `Accept: text/csv` without a format. */
const wantsCsv = (req: Request, format: 'json' | 'csv' | undefined) =>
  format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')

/**
 * Read API over the analytics runs (docs/segments.md "API"). Segments are for admin, marketer
 * and analyst; a member's profile for admin, marketer and support (analysts never read
 * individual members). No answer holds personal data.
 */
export function analyticsRouter(deps: RouterDeps): Router {
  const router = Router()
  const segmentReaders = requireStaff(deps, 'marketer', 'analyst')
  const profileReaders = requireStaff(deps, 'marketer', 'support')

  router.get('/v1/segments', segmentReaders, async (req, res) => {
    const { run_id } = parseQuery(SegmentsQuerySchema, req.query)
    res.json(await segmentsReport(deps, run_id))
  })

  router.get('/v1/segments/history', segmentReaders, async (req, res) => {
    res.json(await segmentHistoryReport(deps, parseQuery(SegmentHistoryQuerySchema, req.query)))
  })

  router.get('/v1/segments/migration', segmentReaders, async (req, res) => {
    res.json(await segmentMigrationReport(deps, parseQuery(SegmentMigrationQuerySchema, req.query)))
  })

  router.get('/v1/segments/:name/members', segmentReaders, async (req, res) => {
    const query = parseQuery(SegmentMembersQuerySchema, req.query)
    const name = String(req.params.name)
    if (!wantsCsv(req, query.format)) return void res.json(await listSegmentMembers(deps, name, query))
    await sendSegmentCsv(deps, res, await csvExportOf(deps, name, query.run_id, query))
  })

  router.get('/v1/members/:id/profile', profileReaders, async (req, res) => {
    parseQuery(ProfileQuerySchema, req.query)
    res.json(await memberProfile(deps, String(req.params.id)))
  })

  router.get('/v1/members/:id/segments', profileReaders, async (req, res) => {
    parseQuery(MemberSegmentsQuerySchema, req.query)
    res.json(await memberSegments(deps, String(req.params.id)))
  })

  // CLV (docs/clv.md "API"): a member's value for those who read profiles, a run's figures for segment readers.
  router.get('/v1/members/:id/value', profileReaders, async (req, res) => {
    parseQuery(MemberValueQuerySchema, req.query)
    res.json(await memberValue(deps, String(req.params.id)))
  })

  router.get('/v1/clv', segmentReaders, async (req, res) => {
    const { run_id } = parseQuery(ClvQuerySchema, req.query)
    res.json(await clvReport(deps, run_id))
  })

  return router
}
