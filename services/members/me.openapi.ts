import {
  body,
  componentSchemas,
  invalid,
  memberOperation,
  notFound,
  ok,
  problem,
  publicOperation,
  queryParameters,
  ref,
} from '../platform/http/parts.openapi'
import { ConsentsPatchSchema, CouponsQuerySchema, LedgerQuerySchema, SignInSchema } from './me.schemas'

/**
 * Members' own sign-in and self-service (keep in sync with me.router.ts; docs/privacy.md). No
 * route names a member: the member is the token's subject.
 */
export function meOpenApi() {
  return {
    schemas: componentSchemas({ MemberSignIn: SignInSchema, ConsentsPatch: ConsentsPatchSchema }),
    paths: {
      '/v1/me/sessions': {
        post: publicOperation({
          summary: 'Member sign-in: a member token',
          description:
            'Give `card_number` or `email`, and the secret as `pin` or `password` (one of each). Only an active member with an ' +
            'active card signs in; every other case is the same 401. SIGN_IN_MAX_FAILURES failures in a row lock the account ' +
            'for SIGN_IN_LOCKOUT_SECONDS: 429 with Retry-After, the right secret included.',
          requestBody: body(ref('MemberSignIn')),
          responses: {
            '201': ok('`{token, expires_at}`; the token lasts MEMBER_TOKEN_TTL_SECONDS'),
            '400': invalid,
            '401': problem('The card number or e-mail and the PIN or password do not match an account that can sign in'),
            '429': {
              ...problem('Locked after too many failures (code sign_in_locked)'),
              headers: { 'Retry-After': { description: 'Seconds until the lockout ends', schema: { type: 'integer' } } },
            },
          },
        }),
      },
      '/v1/me': {
        get: memberOperation({
          summary: 'My profile, cards (masked) and consents',
          responses: { '200': ok('Profile, `cards` masked but for the last 4 digits, `consents` per channel, tier code'), '404': notFound('member') },
        }),
      },
      '/v1/me/balance': {
        get: memberOperation({
          summary: 'My balance, tier, progress to the next tier and points expiring soon',
          responses: { '200': ok('`{balance, tier, tier_progress, expiring}` (expiring within 30, 60, 90 days, cumulative)') },
        }),
      },
      '/v1/me/ledger': {
        get: memberOperation({
          summary: 'My points history, newest first',
          description: 'Includes members merged into me (`merged_from` names them). Pass `next_cursor` as `cursor` for the next page.',
          parameters: queryParameters(LedgerQuerySchema),
          responses: { '200': ok('`{items, next_cursor}` (`next_cursor` is null on the last page)'), '400': invalid },
        }),
      },
      '/v1/me/coupons': {
        get: memberOperation({
          summary: 'My coupons, current ones first',
          description:
            'Coupons of my campaigns (and of members merged into me: `merged_from` names them), valid ones first (soonest to end ' +
            'first), then the rest, newest first; at most `limit`. Each: `code` as shown at the till (groups of four), ' +
            '`campaign {id, name}`, `offer {kind, value, max_discount, scope, min_basket}` (the scope is my own category for a ' +
            'personalised offer), `valid_from`, `valid_until`, `state` (valid, upcoming, expired, redeemed, void), `issued_at`, and ' +
            '`redeemed_at` and `discount` once redeemed. Money is decimal text.',
          parameters: queryParameters(CouponsQuerySchema),
          responses: { '200': ok('`{items, truncated}` (`truncated`: there are more than `limit`)'), '400': invalid },
        }),
      },
      '/v1/me/consents': {
        patch: memberOperation({
          summary: 'Give or withdraw marketing consent per channel',
          description: 'Name at least one channel. Asking for the state a channel already has records nothing.',
          requestBody: body(ref('ConsentsPatch')),
          responses: { '200': ok("`{consents}`: every channel's state"), '400': invalid, '404': notFound('member') },
        }),
      },
      '/v1/me/export': {
        get: memberOperation({
          summary: 'Export my data (format loyalty.member-export.v1)',
          responses: {
            '200': {
              ...ok('The export document, as an attachment'),
              headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="my-loyalty-data.json"' } },
            },
            '404': notFound('member'),
          },
        }),
      },
    },
  }
}
