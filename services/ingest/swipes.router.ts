import express, { Router, type Response } from 'express'
import { AppError, problemBody } from '../platform/http/errors'
import type { Metrics } from '../platform/metrics'
import type { Postgres } from '../platform/postgres'
import { requireStoreKey, storeOf } from '../stores/store-auth.middleware'
import type { StoresRepo } from '../stores/stores.repo'
import { LineTooLongError } from './ndjson'
import { recordBulk, BULK_DEFAULTS, type BulkOptions } from './record-bulk'
import { createGroupCommit } from './group-commit'
import { prepareSwipes, type CommitContext, type PostedSwipe, type SwipeOutcome } from './record-swipes'
import { createIdPool } from '../points/ledger'
import { createProgrammeLoader, type ProgrammeLoader } from '../points/programme'
import { MAX_SWIPES_PER_REQUEST } from './swipe.schemas'

export interface SwipesRouterDeps {
  pg: Postgres
  /** Reads the earning rules and tiers a swipe is scored with; made by the router if absent. */
  loadProgramme?: ProgrammeLoader
  stores: StoresRepo
  metrics: Metrics
  clock: () => Date
  skewSeconds: number
  /** Points expire this many months after they were earned. */
  expiryMonths: number
  /** Whether swipes earn points (POINTS_SCORING); on unless false. */
  scoring?: boolean
  bulk?: Partial<BulkOptions>
}

/** 1,000 swipes of 500 lines each fit in 64 MiB of JSON. */
const JSON_LIMIT = '64mb'

/** POST /v1/swipes (one swipe or an array) and POST /v1/swipes/bulk (NDJSON of any length). */
export function swipesRouter(deps: SwipesRouterDeps): Router {
  const router = Router()
  const auth = requireStoreKey(deps.stores, 'swipes:write')
  const commit: CommitContext = {
    pg: deps.pg,
    loadProgramme: deps.loadProgramme ?? createProgrammeLoader(),
    expiryMonths: deps.expiryMonths,
    clock: deps.clock,
    scoring: deps.scoring ?? true,
    ids: createIdPool(),
  }
  const groupCommit = createGroupCommit(commit)
  const record = (storeId: string, posted: PostedSwipe[]) =>
    groupCommit.commit(prepareSwipes(storeId, posted, { now: deps.clock(), skewSeconds: deps.skewSeconds }))
  const count = (outcomes: SwipeOutcome[]) => {
    for (const o of outcomes) deps.metrics.swipes.inc({ outcome: o.status })
  }

  router.post('/v1/swipes', auth, express.json({ limit: JSON_LIMIT, type: () => true }), async (req, res) => {
    const store = storeOf(res.locals)
    const body: unknown = req.body
    if (!Array.isArray(body)) {
      const [outcome] = await record(store.storeId, [{ body, at: '$' }])
      count([outcome!])
      return sendOne(res, outcome!, String(req.id))
    }
    if (body.length === 0 || body.length > MAX_SWIPES_PER_REQUEST) {
      throw AppError.badRequest(`a batch holds 1 to ${MAX_SWIPES_PER_REQUEST} swipes; this one has ${body.length}`, [
        { path: '$', message: `expected 1 to ${MAX_SWIPES_PER_REQUEST} items` },
      ])
    }
    const outcomes = await record(store.storeId, body.map((item, i) => ({ body: item, at: `$[${i}]` })))
    count(outcomes)
    res.status(200).json({
      accepted: outcomes.filter((o) => o.status === 'accepted').length,
      replayed: outcomes.filter((o) => o.status === 'replayed').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
      results: outcomes.map((o, index) =>
        o.status === 'rejected'
          ? { index, status: o.status, problem: problemBody(o.httpStatus, codeOf(o), o.detail, String(req.id), o.problems) }
          : { index, status: o.status, answer: o.answer },
      ),
    })
  })

  router.post('/v1/swipes/bulk', auth, async (req, res) => {
    const store = storeOf(res.locals)
    if (!req.is(['application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/plain'])) {
      throw new AppError(415, 'unsupported_media_type', 'send the swipes as NDJSON (Content-Type: application/x-ndjson)')
    }
    try {
      const report = await recordBulk({ ...commit, skewSeconds: deps.skewSeconds }, store.storeId, req, { ...BULK_DEFAULTS, ...deps.bulk })
      deps.metrics.swipes.inc({ outcome: 'accepted' }, report.accepted)
      deps.metrics.swipes.inc({ outcome: 'replayed' }, report.replayed)
      deps.metrics.swipes.inc({ outcome: 'rejected' }, report.rejected)
      res.status(200).json(report)
    } catch (error) {
      if (error instanceof LineTooLongError) throw AppError.badRequest(`${error.message}; is this NDJSON?`)
      if (req.destroyed) {
        // The till hung up mid-stream: what was committed stays (a resend replays it); no answer to give.
        req.log.info({ store_id: store.storeId }, 'bulk stream ended by the client before its end')
        return
      }
      throw error
    }
  })
  return router
}

function codeOf(outcome: Extract<SwipeOutcome, { status: 'rejected' }>): string {
  return outcome.httpStatus === 409 ? 'txn_id_conflict' : 'invalid_swipe'
}

function sendOne(res: Response, outcome: SwipeOutcome, requestId: string): void {
  if (outcome.status === 'rejected') {
    res
      .status(outcome.httpStatus)
      .type('application/problem+json')
      .json(problemBody(outcome.httpStatus, codeOf(outcome), outcome.detail, requestId, outcome.problems))
    return
  }
  if (outcome.status === 'replayed') res.set('Idempotent-Replayed', 'true')
  res.status(outcome.status === 'accepted' ? 201 : 200).json(outcome.answer)
}
