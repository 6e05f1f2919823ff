import {
  body,
  componentSchemas,
  invalid,
  notFound,
  ok,
  pathParameter,
  problem,
  publicOperation,
  queryParameters,
  ref,
  staffOperation,
} from '../platform/http/parts.openapi'
import {
  AttachCardSchema,
  BlockCardSchema,
  CardNumberSchema,
  ConsentsSchema,
  MergeMembersSchema,
  RegisterMemberSchema,
  SearchMembersSchema,
  UpdateMemberSchema,
} from './members.schemas'
import { CouponsQuerySchema } from './me.schemas'
import { EraseRequestSchema } from './privacy.router'
import { CreateStaffUserSchema, StaffSignInSchema, UpdateStaffUserSchema } from './staff.schemas'

const memberId = pathParameter('id', MergeMembersSchema.shape.from_member_id, 'The member id (mem_…)')
const staffUserId = pathParameter('id', { type: 'string', examples: ['usr_3f9c…'] }, 'The staff user id (usr_…)')
const retryAfter = { 'Retry-After': { description: 'Seconds until the lockout ends', schema: { type: 'integer' } } }

/**
 * Staff sign-in, staff users, members, cards, merges, export and erasure: the staff routes of
 * the members area (keep in sync with staff.router.ts, members.router.ts and privacy.router.ts;
 * roles as in docs/members.md and docs/privacy.md). Members' own routes: me.openapi.ts.
 */
export function membersOpenApi() {
  return {
    schemas: componentSchemas({
      StaffSignIn: StaffSignInSchema,
      CreateStaffUser: CreateStaffUserSchema,
      UpdateStaffUser: UpdateStaffUserSchema,
      Consents: ConsentsSchema,
      RegisterMember: RegisterMemberSchema,
      UpdateMember: UpdateMemberSchema,
      AttachCard: AttachCardSchema,
      BlockCard: BlockCardSchema,
      MergeMembers: MergeMembersSchema,
      EraseRequest: EraseRequestSchema,
    }),
    paths: { ...staffPaths(), ...memberPaths(), ...privacyPaths() },
  }
}

function staffPaths() {
  return {
    '/v1/staff/sessions': {
      post: publicOperation({
        summary: 'Staff sign-in: a staff token',
        description:
          'Answers `{token, expires_at, user: {id, email, name, roles}}`; the token lasts STAFF_TOKEN_TTL_SECONDS. A wrong password, ' +
          'an unknown e-mail and a disabled user get the same 401. SIGN_IN_MAX_FAILURES wrong passwords in a row lock the account ' +
          'for SIGN_IN_LOCKOUT_SECONDS: 429 with Retry-After, the right password included.',
        requestBody: body(ref('StaffSignIn')),
        responses: {
          '201': ok('Signed in: `{token, expires_at, user}`'),
          '400': invalid,
          '401': problem('The e-mail or password is wrong'),
          '429': { ...problem('Locked after too many wrong passwords (code sign_in_locked)'), headers: retryAfter },
        },
      }),
    },
    '/v1/staff/users': {
      post: staffOperation(['admin'], {
        summary: 'Create a staff user',
        description: 'The password hash is never shown. E-mails are unique in any case.',
        requestBody: body(ref('CreateStaffUser')),
        responses: { '201': ok('The staff user `{id, email, name, roles, disabled, …}`'), '400': invalid, '409': problem('The e-mail is taken') },
      }),
      get: staffOperation(['admin'], {
        summary: 'List staff users',
        responses: { '200': ok('`{users: [...]}`') },
      }),
    },
    '/v1/staff/users/{id}': {
      patch: staffOperation(['admin'], {
        summary: "Change a staff user's name or roles, or disable or enable them",
        description: 'Disabling a user stops their tokens at once.',
        parameters: [staffUserId],
        requestBody: body(ref('UpdateStaffUser')),
        responses: {
          '200': ok('The staff user'),
          '400': invalid,
          '404': notFound('staff user'),
          '409': problem('It would leave no enabled admin'),
        },
      }),
    },
  }
}

function memberPaths() {
  return {
    '/v1/members': {
      post: staffOperation(['support'], {
        summary: 'Register a member at the service desk, optionally with their card',
        description:
          'Give a `pin` or a `password`, not both. The card of an anonymous member makes that member the registered one (same id, ' +
          'points and history). Names must not hold control characters or a payment card number; a birthday is 1900 to today.',
        requestBody: body(ref('RegisterMember')),
        responses: {
          '201': ok('The member, as GET /v1/members/{id} shows it'),
          '400': invalid,
          '409': problem('The e-mail is taken, or the card is blocked or belongs to a registered member'),
        },
      }),
      get: staffOperation(['support'], {
        summary: 'Search members by e-mail, card number or text',
        description:
          'Give at least one of `email` (exact, any case), `card_number` (any card of the member) or `q` (a substring of name, ' +
          'e-mail or phone); filters combine with AND. Pages in member id order: pass `next` of one answer as `after`.',
        parameters: queryParameters(SearchMembersSchema),
        responses: { '200': ok('`{members: [...], next}` (`next` is null on the last page)'), '400': invalid },
      }),
    },
    '/v1/members/{id}': {
      get: staffOperation(['support', 'marketer'], {
        summary: 'Read a member',
        description:
          'admin and support see everything. A marketer sees the member without personal data: `id`, `status`, `merged_into`, ' +
          '`merged_from`, `created_at`, `registered_at`, `consents`, `points` only.',
        parameters: [memberId],
        responses: { '200': ok('The member: profile, status, has_secret, cards, consents, points {balance, tier}'), '404': notFound('member') },
      }),
      patch: staffOperation(['support'], {
        summary: "Change a member's profile, consents or secret",
        description: 'null clears an optional field; absent leaves it. A new secret lifts a sign-in lockout.',
        parameters: [memberId],
        requestBody: body(ref('UpdateMember')),
        responses: {
          '200': ok('The member'),
          '400': invalid,
          '404': notFound('member'),
          '409': problem('The member is anonymous, merged or erased, or the e-mail is taken'),
        },
      }),
    },
    '/v1/members/{id}/coupons': {
      get: staffOperation(['support'], {
        summary: "A member's coupons, current ones first",
        description:
          'As GET /v1/me/coupons shows them to the member: their coupons and those of members merged into them (`merged_from`), ' +
          'valid ones first, at most `limit`; `code`, `campaign`, `offer`, `valid_from`, `valid_until`, `state`, `issued_at`, ' +
          '`redeemed_at`, `discount`. Money is decimal text.',
        parameters: [memberId, ...queryParameters(CouponsQuerySchema)],
        responses: { '200': ok('`{items, truncated}` (`truncated`: there are more than `limit`)'), '400': invalid, '404': notFound('member') },
      }),
    },
    '/v1/members/{id}/cards': {
      post: staffOperation(['support'], {
        summary: 'Attach a card to a member',
        description: "A new card: 201 `created`. An anonymous member's card: that member is merged in, 201 `merged`. Theirs already: 200.",
        parameters: [memberId],
        requestBody: body(ref('AttachCard')),
        responses: {
          '201': ok('`{outcome, merge, member}`'),
          '200': ok('The card was already theirs (`outcome: "unchanged"`)'),
          '400': invalid,
          '404': notFound('member'),
          '409': problem("A blocked card, another registered member's card, or a member that cannot take cards"),
        },
      }),
    },
    '/v1/members/{id}/merge': {
      post: staffOperation(['support'], {
        summary: 'Merge another member into this one',
        description: "Points, lots, cards, spend and consents move to this member (`{id}`); the source becomes `merged`.",
        parameters: [memberId],
        requestBody: body(ref('MergeMembers')),
        responses: {
          '200': ok('`{merge: {points_moved, lots_moved, cards_moved, spend_days_moved, tier, …}, member}`'),
          '400': invalid,
          '404': notFound('member'),
          '409': problem('The target is not an active registered member, or the source is merged or erased'),
        },
      }),
    },
    '/v1/cards/{card_number}/block': {
      post: staffOperation(['support'], {
        summary: 'Block a card, optionally replacing it',
        description: 'Balance and history stay with the member. A blocked card is never attached again.',
        parameters: [pathParameter('card_number', CardNumberSchema, 'The card number (8–19 digits, Luhn)')],
        requestBody: body(ref('BlockCard')),
        responses: {
          '200': ok('The card: `status: "blocked"`, `blocked_at`, `replaced_by`'),
          '400': invalid,
          '404': notFound('card'),
          '409': problem('Already blocked, or the replacement cannot be attached'),
        },
      }),
    },
  }
}

function privacyPaths() {
  return {
    '/v1/members/{id}/export': {
      get: staffOperation(['support'], {
        summary: "Export a member's data (format loyalty.member-export.v1)",
        description: 'Everything held about the member and every member merged into them, swipes included. The export is audited.',
        parameters: [memberId],
        responses: {
          '200': {
            ...ok('The export document, as an attachment'),
            headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="<member id>.json"' } },
          },
          '404': notFound('member'),
        },
      }),
    },
    '/v1/members/{id}/erase': {
      post: staffOperation(['support'], {
        summary: "Erase a member's personal data",
        description:
          'Card numbers become one random pseudonym everywhere (Postgres and ClickHouse); personal fields are cleared. The reason ' +
          'is kept in the audit log: no personal data in it. Sending the request again finishes a pending erasure.',
        parameters: [memberId],
        requestBody: body(ref('EraseRequest')),
        responses: {
          '200': ok('`{member_id, state: "done", pseudonym, requested_at, completed_at}`'),
          '202': ok('Postgres is done, ClickHouse not yet (`state: "clickhouse_pending"`): send the request again'),
          '400': invalid,
          '404': notFound('member'),
          '409': problem('The member was merged into another: erase that one'),
        },
      }),
    },
  }
}
