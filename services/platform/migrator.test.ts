import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileName, MigrationError, readMigrations, splitStatements } from './migrator'

describe('splitStatements', () => {
  test('statements are split at a semicolon ending a line', () => {
    // Arrange
    const sql = 'CREATE TABLE a (x Int32);\nCREATE TABLE b (y String);\n'
    // Act
    const statements = splitStatements(sql)
    // Assert
    expect(statements).toEqual(['CREATE TABLE a (x Int32)', 'CREATE TABLE b (y String)'])
  })

  test('spaces after the semicolon, CRLF line ends and blank lines still end a statement', () => {
    expect(splitStatements('SELECT 1;   \r\n\r\nSELECT 2;\t\nSELECT 3;')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3'])
  })

  test('a last statement without a semicolon is kept', () => {
    expect(splitStatements('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2'])
  })

  test('a statement spanning several lines is kept whole', () => {
    const create = 'CREATE TABLE t (\n  a Int32,\n  b String\n) ENGINE = MergeTree ORDER BY a'
    expect(splitStatements(`${create};\nSELECT 1;\n`)).toEqual([create, 'SELECT 1'])
  })

  test('semicolons inside a line do not split it', () => {
    expect(splitStatements("INSERT INTO t VALUES ('x;y');\n")).toEqual(["INSERT INTO t VALUES ('x;y')"])
    expect(splitStatements('SELECT 1; SELECT 2;\n')).toEqual(['SELECT 1; SELECT 2'])
  })

  test('comment-only pieces are dropped', () => {
    const sql = '-- 0001: the swipes table\n-- (append-only)\n;\nCREATE TABLE s (x Int32);\n-- end of file\n'
    expect(splitStatements(sql)).toEqual(['CREATE TABLE s (x Int32)'])
  })

  test('a comment before a statement stays with the statement', () => {
    expect(splitStatements('-- make a\nCREATE TABLE a (x Int32);\n')).toEqual(['-- make a\nCREATE TABLE a (x Int32)'])
  })

  test('empty, blank and comment-only files have no statements', () => {
    expect(splitStatements('')).toEqual([])
    expect(splitStatements('  \n\n;\n;\n')).toEqual([])
    expect(splitStatements('-- nothing yet\n')).toEqual([])
  })
})

describe('readMigrations', () => {
  let dir: string

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-test-'))
  })

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const write = (name: string, sql: string) => fs.writeFileSync(path.join(dir, name), sql)

  test('many files are read in version order whatever order the directory lists them in', () => {
    // Arrange: written in a scrambled order, both ascending and descending runs
    const versions = [7, 2, 11, 1, 12, 5, 9, 3, 10, 4, 8, 6]
    for (const v of versions) write(`${String(v).padStart(4, '0')}_step_${v}.sql`, `SELECT ${v};\n`)
    // Act
    const migrations = readMigrations(dir)
    // Assert
    expect(migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(migrations.map((m) => m.sql)).toEqual(migrations.map((m) => `SELECT ${m.version};\n`))
  })

  test('files are read in version order with their name, text and checksum', () => {
    // Arrange: written out of order
    write('0002_add_index.sql', 'CREATE INDEX i ON t (a);\n')
    write('0001_create_table.sql', 'CREATE TABLE t (a int);\n')
    // Act
    const migrations = readMigrations(dir)
    // Assert
    expect(migrations).toEqual([
      {
        version: 1,
        name: 'create_table',
        sql: 'CREATE TABLE t (a int);\n',
        checksum: crypto.createHash('sha256').update('CREATE TABLE t (a int);\n').digest('hex'),
      },
      {
        version: 2,
        name: 'add_index',
        sql: 'CREATE INDEX i ON t (a);\n',
        checksum: crypto.createHash('sha256').update('CREATE INDEX i ON t (a);\n').digest('hex'),
      },
    ])
  })

  test('files that are not .sql are ignored', () => {
    write('0001_create_table.sql', 'SELECT 1;\n')
    write('README.md', '# migrations\n')
    write('0002_notes.txt', 'not a migration')
    expect(readMigrations(dir).map(fileName)).toEqual(['0001_create_table.sql'])
  })

  test('an empty directory has no migrations', () => {
    expect(readMigrations(dir)).toEqual([])
  })

  test('the checksum changes when the file changes', () => {
    write('0001_create_table.sql', 'SELECT 1;\n')
    const before = readMigrations(dir)[0]!.checksum
    write('0001_create_table.sql', 'SELECT 2;\n')
    expect(readMigrations(dir)[0]!.checksum).not.toBe(before)
  })

  test.each(['1_create.sql', '0001-create.sql', '0001_Create.sql', '0001_create table.sql', 'create.sql'])(
    'a badly named file (%s) is refused with its name',
    (name) => {
      write(name, 'SELECT 1;\n')
      expect(() => readMigrations(dir)).toThrow(MigrationError)
      expect(() => readMigrations(dir)).toThrow(name)
    },
  )

  test('a gap in the numbering is refused, naming the missing version', () => {
    write('0001_a.sql', 'SELECT 1;\n')
    write('0003_c.sql', 'SELECT 3;\n')
    expect(() => readMigrations(dir)).toThrow(MigrationError)
    expect(() => readMigrations(dir)).toThrow('expected migration 2, found 3')
  })

  test('numbering that does not start at 1 is refused', () => {
    write('0002_b.sql', 'SELECT 2;\n')
    expect(() => readMigrations(dir)).toThrow('expected migration 1, found 2')
  })

  test('two files with the same version are refused', () => {
    write('0001_a.sql', 'SELECT 1;\n')
    write('0001_b.sql', 'SELECT 1;\n')
    expect(() => readMigrations(dir)).toThrow(MigrationError)
  })
})

describe('fileName', () => {
  test('a migration is named by its zero-padded version and name', () => {
    expect(fileName({ version: 3, name: 'add_index', sql: '', checksum: '' })).toBe('0003_add_index.sql')
  })
})
