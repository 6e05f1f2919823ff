import { z } from 'zod'
import { CARD_NUMBER_PATTERN, containsPaymentCardNumber, luhnValid } from './card-number'
import { decimalSchema } from '../platform/decimal.schema'

/** Decimal places kept for each kind of figure (keep in sync with sql/clickhouse/migrations). */
export const SCALE = { money: 2, unitPrice: 4, quantity: 3 } as const
export const MAX_LINES_PER_SWIPE = 1000
export const MAX_SWIPES_PER_REQUEST = 1000

/** Tills send decimals as strings or JSON numbers (decimal.schema.ts reads numbers exactly). */
const money = () => decimalSchema(SCALE.money, { min: '0', max: '10000000', numbers: true })

const identifier = (max: number) =>
  z.string().regex(/^[A-Za-z0-9._:\/-]+$/, 'letters, digits and . _ : / - only').min(1).max(max)

export const CardNumberSchema = z
  .string()
  .regex(CARD_NUMBER_PATTERN, 'expected 8 to 19 digits')
  .refine((digits) => !CARD_NUMBER_PATTERN.test(digits) || luhnValid(digits), 'check digit does not match (Luhn)')

export const SwipeLineSchema = z.strictObject({
  sku: identifier(64),
  category: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .refine((text) => !containsPaymentCardNumber(text), 'must not contain a payment card number'),
  quantity: decimalSchema(SCALE.quantity, { min: '0', minExclusive: true, max: '1000000', numbers: true }),
  unit_price: decimalSchema(SCALE.unitPrice, { min: '0', max: '1000000', numbers: true }),
  discount: money().default('0.00'),
})
export type SwipeLine = z.infer<typeof SwipeLineSchema>

export const SwipeSchema = z
  .strictObject({
    txn_id: identifier(64),
    terminal_id: identifier(64),
    card_number: CardNumberSchema,
    occurred_at: z.iso.datetime({ offset: true, precision: undefined, error: 'expected ISO 8601 date-time with offset' }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR'),
    kind: z.enum(['sale', 'return']),
    original_txn_id: identifier(64).optional(),
    lines: z.array(SwipeLineSchema).min(1).max(MAX_LINES_PER_SWIPE),
    total: money(),
    coupon_codes: z
      .array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'letters, digits and - only, up to 64'))
      .max(50)
      .default([]),
  })
  // `when` runs these rules even when other fields failed, so every problem is named at once.
  .refine((swipe) => swipe.kind !== 'return' || !!swipe.original_txn_id, {
    path: ['original_txn_id'],
    message: 'a return names the original sale',
    when: ({ value }) => typeof value === 'object' && value !== null,
  })
  .refine((swipe) => swipe.kind !== 'sale' || swipe.original_txn_id === undefined, {
    path: ['original_txn_id'],
    message: 'only a return names an original sale',
    when: ({ value }) => typeof value === 'object' && value !== null,
  })
export type Swipe = z.infer<typeof SwipeSchema>
