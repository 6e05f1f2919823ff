import { body, componentSchemas, invalid, json, pathParameter, ref, tillOperation } from '../platform/http/parts.openapi'
import { REFUSAL_REASONS } from './coupon-rules'
import { ValidateAnswerSchema, ValidateCouponSchema } from './coupons.schemas'

/** Coupons at the till (keep in sync with coupons.router.ts; docs/campaigns.md "Redemption at the till"). */
export function couponsOpenApi() {
  return {
    schemas: componentSchemas({ ValidateCoupon: ValidateCouponSchema, ValidateCouponAnswer: ValidateAnswerSchema }),
    paths: {
      '/v1/coupons/{code}/validate': {
        post: tillOperation({
          summary: 'What a coupon would take off this basket with this card, changing nothing',
          description:
            'The checks of a redemption, in the same order, at `occurred_at` (absent: now): ' +
            `${REFUSAL_REASONS.join(', ')}. The budget is as it stands now; the swipe that redeems the coupon checks it again. ` +
            'A code that is not well formed, or whose check character does not match, is `unknown`. Always 200 for a well-formed body.',
          parameters: [pathParameter('code', { type: 'string', examples: ['7KQ2-M9XD-R4TB-W1HC'] }, 'The coupon code, with or without dashes, any case')],
          requestBody: body(ref('ValidateCoupon')),
          responses: { '200': { description: 'Valid with its discount, or the reason it would be refused', content: json(ref('ValidateCouponAnswer')) }, '400': invalid },
        }),
      },
    },
  }
}
