import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from '../logger'

/** A problem with one field of the request, named by its JSON path. */
export interface ProblemDetail {
  path: string
  message: string
}

/** The one error type every route throws; the handler below turns it into problem+json. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: ProblemDetail[] = [],
    readonly retriable = false,
  ) {
    super(message)
  }

  static badRequest(message: string, errors: ProblemDetail[] = []): AppError {
    return new AppError(400, 'invalid_request', message, errors)
  }
  static unauthorized(message = 'a valid API key is required'): AppError {
    return new AppError(401, 'unauthorized', message)
  }
  static forbidden(message = 'this key may not do that'): AppError {
    return new AppError(403, 'forbidden', message)
  }
  static notFound(message = 'not found'): AppError {
    return new AppError(404, 'not_found', message)
  }
  static conflict(message: string): AppError {
    return new AppError(409, 'conflict', message)
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** An RFC 9457 problem document; `errors` lists each field problem. */
export function problemBody(status: number, code: string, detail: string, requestId: string, errors: ProblemDetail[] = []) {
  return {
    type: `https://loyalty.example/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    request_id: requestId,
    ...(errors.length > 0 ? { errors } : {}),
  }
}

/** Maps every error to application/problem+json; unknown errors are masked as 500 and logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const requestId = String(req.id ?? '')
    let status = 500
    let code = 'internal'
    let detail = 'an unexpected error occurred; quote the request id when reporting it'
    let errors: ProblemDetail[] = []
    if (error instanceof AppError) {
      ;({ status, code, errors } = error)
      detail = error.message
    } else if (error?.type === 'entity.parse.failed') {
      status = 400
      code = 'malformed_json'
      detail = `the body is not valid JSON: ${error.message}`
    } else if (isStoreUnavailable(error)) {
      // Tills retry on 503; their retries are idempotent, so nothing is lost or counted twice.
      status = 503
      code = 'unavailable'
      detail = 'the platform cannot reach its database; retry shortly'
      res.set('Retry-After', '5')
      logger.warn({ err: error, request_id: requestId }, 'database unreachable')
    } else if (error?.type === 'entity.too.large') {
      status = 413
      code = 'payload_too_large'
      detail = `the body exceeds the limit of ${error.limit} bytes`
    } else {
      logger.error({ err: error, request_id: requestId }, 'unhandled error')
    }
    if (res.headersSent) return res.end()
    // Answered before the body was read to its end: the connection cannot carry another request.
    if (!req.complete) res.set('Connection', 'close')
    res.status(status).type('application/problem+json').json(problemBody(status, code, detail, requestId, errors))
  }
}

/** Connection failures (network, Postgres shutting down or refusing connections): worth a retry. */
function isStoreUnavailable(error: { code?: unknown } | undefined): boolean {
  const code = typeof error?.code === 'string' ? error.code : ''
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P03'].includes(code) || code.startsWith('08')
}

/** Any route that matched nothing. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(AppError.notFound(`no route for ${req.method} ${req.path}`))
}
