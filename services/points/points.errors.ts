import type { ErrorRequestHandler } from 'express'
import { AppError, problemBody } from '../platform/http/errors'

/**
 * A redemption or a negative adjustment asked for more than the member can use now. The
 * problem document carries `available` and `requested` as numbers, so a till can offer the
 * rest without parsing a message.
 */
export class InsufficientPointsError extends AppError {
  constructor(
    readonly requested: number,
    readonly available: number,
  ) {
    super(409, 'insufficient_points', `${requested} points asked for, ${available} available`, [
      { path: '$.points', message: `exceeds the ${available} points available` },
    ])
  }
}

/** Writes InsufficientPointsError with its figures; every other error goes to the app's handler. */
export const insufficientPointsHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (!(error instanceof InsufficientPointsError)) return next(error)
  res
    .status(error.status)
    .type('application/problem+json')
    .json({
      ...problemBody(error.status, error.code, error.message, String(req.id ?? ''), error.errors),
      requested: error.requested,
      available: error.available,
    })
}

/** True for a unique violation of the named constraint (a concurrent duplicate insert). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string } | undefined
  return e?.code === '23505' && e.constraint === constraint
}
