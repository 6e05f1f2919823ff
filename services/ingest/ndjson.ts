/** One line of an NDJSON stream, numbered from 1. */
export interface NumberedLine {
  number: number
  text: string
}

/** Raised when a line grows past the limit without a newline (a stream that is not NDJSON). */
export class LineTooLongError extends Error {}

/**
 * Yields the lines of a byte stream. Consuming with `for await` pulls the next chunk only when
 * the caller asks for more, so a slow consumer pauses the socket (backpressure) and memory
 * holds one chunk and one partial line, however long the stream.
 */
export async function* readLines(stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<NumberedLine> {
  let pending = ''
  let number = 0
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    let start = 0
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      number++
      yield { number, text: pending.slice(start, end).replace(/\r$/, '') }
      start = end + 1
    }
    pending = pending.slice(start)
    if (pending.length > maxLineBytes) throw new LineTooLongError(`line ${number + 1} exceeds ${maxLineBytes} bytes`)
  }
  if (pending.length > 0) yield { number: number + 1, text: pending.replace(/\r$/, '') }
}
