import type { Logger } from './logger'

/**
 * On SIGTERM or SIGINT, runs the steps in order (stop HTTP, stop workers, flush, close the
 * stores) and exits 0; exits 1 if they take longer than `timeoutSeconds` (STYLE.md §11).
 */
export function onShutdown(logger: Logger, timeoutSeconds: number, steps: [string, () => Promise<unknown>][]): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    const timer = setTimeout(() => {
      logger.error({ timeout_seconds: timeoutSeconds }, 'shutdown took too long; forcing exit')
      process.exit(1)
    }, timeoutSeconds * 1000)
    timer.unref()
    for (const [name, step] of steps) {
      try {
        await step()
      } catch (error) {
        logger.error({ err: error, step: name }, 'shutdown step failed')
      }
    }
    logger.info('stopped')
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop('SIGTERM'))
  process.once('SIGINT', () => void stop('SIGINT'))
}
