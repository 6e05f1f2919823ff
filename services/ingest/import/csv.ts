import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'

/** Raised on a malformed CSV file; names the file and line. */
export class CsvError extends Error {}

/**
 * Splits one CSV record (RFC 4180: fields may be double-quoted, "" is a quote inside quotes).
 * The CJ files have no quotes at all today, but a product name with a comma would be quoted,
 * so the parser does not rely on that. A quoted field spanning lines is refused (no CJ file
 * has one) rather than silently misread.
 */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (line[i] === '"') {
      let value = ''
      i++
      for (;;) {
        const q = line.indexOf('"', i)
        if (q === -1) throw new CsvError('unterminated quoted field (a field spanning lines is not supported)')
        value += line.slice(i, q)
        if (line[q + 1] === '"') {
          value += '"'
          i = q + 2
          continue
        }
        i = q + 1
        break
      }
      fields.push(value)
      if (i === line.length) return fields
      if (line[i] !== ',') throw new CsvError(`unexpected character after a quoted field at column ${i + 1}`)
      i++
    } else {
      const comma = line.indexOf(',', i)
      if (comma === -1) {
        fields.push(line.slice(i))
        return fields
      }
      fields.push(line.slice(i, comma))
      i = comma + 1
    }
  }
}

/** Yields [lineNo, fields by column name] for each data line of a CSV file, streaming. */
export async function* readCsv<C extends string>(file: string, columns: readonly C[]): AsyncGenerator<[number, Record<C, string>]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })
  let index: number[] | undefined
  let lineNo = 0
  for await (const raw of lines) {
    lineNo++
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (line === '') continue
    let fields: string[]
    try {
      fields = parseCsvLine(line)
    } catch (error) {
      throw new CsvError(`${path.basename(file)} line ${lineNo}: ${(error as Error).message}`)
    }
    if (!index) {
      index = columns.map((column) => {
        const at = fields.indexOf(column)
        if (at === -1) throw new CsvError(`${path.basename(file)}: no column ${column} in the header`)
        return at
      })
      continue
    }
    const record = {} as Record<C, string>
    columns.forEach((column, c) => {
      const value = fields[index![c]!]
      if (value === undefined) throw new CsvError(`${path.basename(file)} line ${lineNo}: missing column ${column}`)
      record[column] = value
    })
    yield [lineNo, record]
  }
}
