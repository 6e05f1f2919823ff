import { z } from 'zod'
import { CONSENT_CHANNELS } from './consent'
import { ConsentsSchema } from './members.schemas'

/**
 * POST /v1/me/sessions: a card number or an e-mail address, and the member's secret, sent as
 * `pin` or `password` (one secret either way: members/credentials set one of them).
 */
export const SignInSchema = z
  .strictObject({
    card_number: z.string().trim().min(1).max(32).optional(),
    email: z.string().trim().min(3).max(254).optional(),
    pin: z.string().min(1).max(128).optional(),
    password: z.string().min(1).max(128).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.card_number === undefined && body.email === undefined) {
      ctx.addIssue({ code: 'custom', path: ['card_number'], message: 'give card_number or email' })
    }
    if (body.card_number !== undefined && body.email !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'give card_number or email, not both' })
    }
    if (body.pin === undefined && body.password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pin'], message: 'give pin or password' })
    }
    if (body.pin !== undefined && body.password !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'give pin or password, not both' })
    }
  })
export type SignIn = z.infer<typeof SignInSchema>

/** GET /v1/me/ledger: page size and the opaque cursor from the previous page. */
export const LedgerQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'is not a cursor from a previous page')
    .optional(),
})
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>

/** PATCH /v1/me/consents: the channels to change, each granted (true) or withdrawn (false). */
export const ConsentsPatchSchema = ConsentsSchema.refine((body) => Object.values(body).some((v) => v !== undefined), { message: `name at least one of ${CONSENT_CHANNELS.join(', ')}` })
export type ConsentsPatch = z.infer<typeof ConsentsPatchSchema>

/** GET /v1/me/coupons: how many coupons at most (a member gets a few a month: no paging). */
export const CouponsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
})
export type CouponsQuery = z.infer<typeof CouponsQuerySchema>
