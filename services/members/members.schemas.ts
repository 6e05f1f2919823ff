import { z } from 'zod'
import type { ConsentChannel } from './consent'
import { CARD_NUMBER_PATTERN, containsPaymentCardNumber, luhnValid } from '../ingest/card-number'


// `abort: true` on the shape checks: one problem per field, not a cascade of refinements.
// Control characters would corrupt exports and CSVs; a payment card number must never be stored.
const CONTROL = /[\u0000-\u001f\u007f]/

/** Free text a person types (names, reasons). */
export const textField = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'must not be empty', abort: true })
    .max(max, { abort: true })
    .refine((s) => !CONTROL.test(s), 'must not contain control characters')
    .refine((s) => !containsPaymentCardNumber(s), 'must not contain a payment card number')

/** Lower-cased: members and staff are found by e-mail case-insensitively. */
export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address'))

export const PhoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be in international format, e.g. +31612345678')

/** A date of birth: a real calendar day, not in the future, not before 1900. */
export const BirthdaySchema = z
  .iso.date({ message: 'must be a date, YYYY-MM-DD', abort: true })
  .refine((d) => d >= '1900-01-01', 'must not be before 1900-01-01')
  .refine((d) => d <= new Date().toISOString().slice(0, 10), 'must not be in the future')

export const StoreIdSchema = z.string().regex(/^sto_[A-Za-z0-9]+$/, 'must be a store id (sto_…)')

/** A loyalty card number as the tills send it: 8–19 digits with a Luhn check digit. */
export const CardNumberSchema = z
  .string()
  .regex(CARD_NUMBER_PATTERN, { message: 'must be 8 to 19 digits', abort: true })
  .refine(luhnValid, 'the check digit does not match (mistyped?)')

export const PinSchema = z.string().regex(/^\d{4,8}$/, 'must be 4 to 8 digits')
/** Long enough that an offline guess is not worth it; capped so hashing stays cheap. */
export const PasswordSchema = z.string().min(12, 'must be at least 12 characters').max(200)

/** A member's public id, wherever one is taken from a request. */
export const MemberIdSchema = z.string().regex(/^mem_[A-Za-z0-9]{1,64}$/, 'must be a member id (mem_…)')

/** Consent changes per channel, granted (true) or withdrawn (false); staff and members send the same shape. */
export const ConsentsSchema = z.strictObject({
  email: z.boolean().optional(),
  sms: z.boolean().optional(),
  personalised_offers: z.boolean().optional(),
} satisfies Record<ConsentChannel, z.ZodType>)
export type ConsentChanges = z.infer<typeof ConsentsSchema>

const oneSecret = (value: { pin?: string | undefined; password?: string | undefined }, ctx: z.RefinementCtx) => {
  if (value.pin !== undefined && value.password !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'give a pin or a password, not both' })
  }
}

/** POST /v1/members: a member registered at the service desk, optionally with their card. */
export const RegisterMemberSchema = z
  .strictObject({
    name: textField(200),
    email: EmailSchema.optional(),
    phone: PhoneSchema.optional(),
    birthday: BirthdaySchema.optional(),
    preferred_store_id: StoreIdSchema.optional(),
    consents: ConsentsSchema.optional(),
    card_number: CardNumberSchema.optional(),
    pin: PinSchema.optional(),
    password: PasswordSchema.optional(),
  })
  .superRefine(oneSecret)
export type RegisterMember = z.infer<typeof RegisterMemberSchema>

/** PATCH /v1/members/:id: null clears an optional field; absent leaves it. */
export const UpdateMemberSchema = z
  .strictObject({
    name: textField(200).optional(),
    email: EmailSchema.nullable().optional(),
    phone: PhoneSchema.nullable().optional(),
    birthday: BirthdaySchema.nullable().optional(),
    preferred_store_id: StoreIdSchema.nullable().optional(),
    consents: ConsentsSchema.optional(),
    pin: PinSchema.optional(),
    password: PasswordSchema.optional(),
  })
  .superRefine(oneSecret)
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateMember = z.infer<typeof UpdateMemberSchema>

/** GET /v1/members: at least one filter, so a search never lists the whole membership. */
export const SearchMembersSchema = z
  .strictObject({
    email: EmailSchema.optional(),
    card_number: z.string().regex(CARD_NUMBER_PATTERN, 'must be 8 to 19 digits').optional(),
    q: z.string().trim().min(3, 'must be at least 3 characters').max(100).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** The last member id of the previous page. */
    after: MemberIdSchema.optional(),
  })
  .refine((v) => v.email !== undefined || v.card_number !== undefined || v.q !== undefined, 'give email, card_number or q')
export type SearchMembers = z.infer<typeof SearchMembersSchema>

export const AttachCardSchema = z.strictObject({ card_number: CardNumberSchema })

export const BlockCardSchema = z.strictObject({
  reason: textField(500),
  replacement_card_number: CardNumberSchema.optional(),
})
export type BlockCard = z.infer<typeof BlockCardSchema>

export const MergeMembersSchema = z.strictObject({
  from_member_id: MemberIdSchema,
  reason: textField(500),
})
export type MergeMembers = z.infer<typeof MergeMembersSchema>
