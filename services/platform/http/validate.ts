import type { z } from 'zod'
import { AppError, type ProblemDetail } from './errors'

/**
 * Request validation for staff and member routes: the parsed value or one 400 naming every
 * problem by its JSON path (`$.consents.sms`). Ingest reports each swipe's problems with the
 * same zodProblems.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, prefix = '$'): z.infer<S> {
  const parsed = schema.safeParse(body ?? undefined)
  if (!parsed.success) throw AppError.badRequest('the request body is not valid', zodProblems(parsed.error, prefix))
  return parsed.data
}

/** As parseBody, for the query string (its parameters are named `$.<name>` too). */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, prefix = '$'): z.infer<S> {
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw AppError.badRequest('the query string is not valid', zodProblems(parsed.error, prefix))
  return parsed.data
}

/** One problem per zod issue, and one per unknown key of a strict object. */
export function zodProblems(error: z.ZodError, prefix = '$'): ProblemDetail[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: jsonPath(prefix, [...issue.path, key]), message: 'is not a field of this object' }))
    }
    return [{ path: jsonPath(prefix, issue.path), message: issue.message }]
  })
}

/** `$.lines[3].quantity` from zod's path segments. */
export function jsonPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), prefix)
}
