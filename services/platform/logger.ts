import pino, { type Logger } from 'pino'
import type { Config } from './config'

export type { Logger }

/**
 * JSON logs (pretty only when a person runs it in a terminal in development).
 * Card numbers, keys and personal data never reach a log line.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY
  return pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'card_number',
        '*.card_number',
        'email',
        '*.email',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty' } } : {}),
  })
}
