import { LineTooLongError, readLines } from './ndjson'

async function collect(chunks: string[], max = 1024) {
  const out: { number: number; text: string }[] = []
  for await (const line of readLines(chunks, max)) out.push(line)
  return out
}

test('lines split across chunks are joined; CRLF and a last line without newline are handled', async () => {
  expect(await collect(['{"a":', '1}\r\n{"b"', ':2}\n\n{"c":3}'])).toEqual([
    { number: 1, text: '{"a":1}' },
    { number: 2, text: '{"b":2}' },
    { number: 3, text: '' },
    { number: 4, text: '{"c":3}' },
  ])
})

test('the reader pulls a chunk only when the consumer asks for more (backpressure)', async () => {
  let pulled = 0
  async function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled++
      yield `line ${i}\n`
    }
  }
  const lines = readLines(source(), 1024)
  await lines.next()
  await lines.next()
  expect(pulled).toBe(2)
  await lines.return(undefined)
})

test('a line longer than the limit stops the stream with a clear error', async () => {
  await expect(collect(['x'.repeat(2000)], 1000)).rejects.toThrow(LineTooLongError)
})
