import { quintileScore, SEGMENT_SLUGS, SEGMENTS, segmentMapParam, segmentOf, type Score } from './segments'

const SCORES: Score[] = [1, 2, 3, 4, 5]

// docs/segments.md "Segments from R and F", copied cell by cell by hand: rows R = 5 down to 1,
// columns F = 1 to 5. A change to the map must change the doc and this table.
const DOC_TABLE = `
| **5** | New Customers | Potential Loyalists | Potential Loyalists | Champions | Champions |
| **4** | Promising | Potential Loyalists | Potential Loyalists | Loyal | Loyal |
| **3** | About to Sleep | About to Sleep | Need Attention | Loyal | Loyal |
| **2** | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
| **1** | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
`

const nameOf = (slug: string) => SEGMENTS.find((s) => s.slug === slug)!.name

describe('the R/F segment map', () => {
  test('the grid matches the table in docs/segments.md cell by cell', () => {
    const rows = DOC_TABLE.trim().split('\n').map((row) => row.split('|').map((cell) => cell.trim()).filter(Boolean))
    expect(rows).toHaveLength(5)
    for (const [label, ...cells] of rows) {
      const r = Number(label!.replace(/\*/g, '')) as Score
      expect(cells).toHaveLength(5)
      for (const f of SCORES) expect([r, f, nameOf(segmentOf(r, f))]).toEqual([r, f, cells[f - 1]])
    }
  })

  test('each of the 25 cells maps to exactly one known segment, and all 10 segments are used', () => {
    const cells = SCORES.flatMap((r) => SCORES.map((f) => segmentOf(r, f)))
    expect(cells).toHaveLength(25)
    for (const slug of cells) expect(SEGMENT_SLUGS.filter((s) => s === slug)).toHaveLength(1)
    expect(new Set(cells)).toEqual(new Set(SEGMENT_SLUGS))
    expect(SEGMENT_SLUGS).toHaveLength(10)
    expect(new Set(SEGMENTS.map((s) => s.name)).size).toBe(10)
  })

  test('a few cells named in words: the best corner is Champions, the worst Hibernating', () => {
    expect(segmentOf(5, 5)).toBe('champions')
    expect(segmentOf(5, 1)).toBe('new_customers')
    expect(segmentOf(1, 5)).toBe('cant_lose_them')
    expect(segmentOf(1, 1)).toBe('hibernating')
    expect(segmentOf(3, 3)).toBe('need_attention')
  })

  test('segmentMapParam holds the segment of (r, f) at index (r − 1) × 5 + f − 1, as the SQL reads it', () => {
    const map = segmentMapParam()
    expect(map).toHaveLength(25)
    for (const r of SCORES) for (const f of SCORES) expect(map[(r - 1) * 5 + f - 1]).toBe(segmentOf(r, f))
    // By hand: index 0 is (1, 1), 4 is (1, 5), 20 is (5, 1), 24 is (5, 5).
    expect([map[0], map[4], map[20], map[24]]).toEqual(['hibernating', 'cant_lose_them', 'new_customers', 'champions'])
  })
})

describe('quintileScore', () => {
  test('N = 1: the only member scores 1 (rank 1: 1 + floor(0 / 1))', () => {
    expect(quintileScore(1, 1)).toBe(1)
  })

  test('N = 5: ranks 1..5 score 1..5 (1 + floor(5 (rank − 1) / 5) = rank)', () => {
    expect([1, 2, 3, 4, 5].map((rank) => quintileScore(rank, 5))).toEqual([1, 2, 3, 4, 5])
  })

  test('N = 7: ranks 1..7 score 1, 1, 2, 3, 3, 4, 5', () => {
    // 5 (rank − 1) / 7 = 0, 0.71, 1.43, 2.14, 2.86, 3.57, 4.29 → floor + 1
    expect([1, 2, 3, 4, 5, 6, 7].map((rank) => quintileScore(rank, 7))).toEqual([1, 1, 2, 3, 3, 4, 5])
  })

  test('N = 10: two ranks per score', () => {
    // 5 (rank − 1) / 10 = (rank − 1) / 2 → 0, 0.5, 1, 1.5, ... 4.5
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((rank) => quintileScore(rank, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
  })

  test('ties share the lowest rank, so a tie of six among ten takes the first score only', () => {
    // values worse → better: 1, 1, 1, 1, 1, 1, 2, 3, 4, 5 → ranks 1, 1, 1, 1, 1, 1, 7, 8, 9, 10
    const ranks = [1, 1, 1, 1, 1, 1, 7, 8, 9, 10]
    // 5 × 6 / 10 = 3 → 4; 5 × 7 / 10 = 3.5 → 4; 5 × 8 / 10 = 4 → 5; 5 × 9 / 10 = 4.5 → 5
    expect(ranks.map((rank) => quintileScore(rank, 10))).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5])
  })

  test('the worst rank always scores 1; the best scores 5 from N = 5 on, less below', () => {
    // best of N: 1 + floor(5 (N − 1) / N): N = 2 → 1 + floor(2.5) = 3; N = 3 → 1 + floor(3.33) = 4; N = 4 → 1 + floor(3.75) = 4
    expect([2, 3, 4].map((n) => quintileScore(n, n))).toEqual([3, 4, 4])
    for (let n = 5; n <= 50; n++) {
      expect(quintileScore(1, n)).toBe(1)
      expect(quintileScore(n, n)).toBe(5)
    }
  })
})
