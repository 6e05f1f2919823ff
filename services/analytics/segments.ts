/**
 * The named RFM segments and the one R/F map that assigns them (docs/segments.md "Segments
 * from R and F"): the grid of the published RFM "seg_map", every one of the 25 cells in
 * exactly one segment. The SQL gets the map as a parameter (segmentMapParam), so this table
 * is the only copy.
 */
export const SEGMENTS = [
  { slug: 'champions', name: 'Champions' },
  { slug: 'loyal', name: 'Loyal' },
  { slug: 'potential_loyalists', name: 'Potential Loyalists' },
  { slug: 'new_customers', name: 'New Customers' },
  { slug: 'promising', name: 'Promising' },
  { slug: 'need_attention', name: 'Need Attention' },
  { slug: 'about_to_sleep', name: 'About to Sleep' },
  { slug: 'at_risk', name: 'At Risk' },
  { slug: 'cant_lose_them', name: "Can't Lose Them" },
  { slug: 'hibernating', name: 'Hibernating' },
] as const
export type SegmentSlug = (typeof SEGMENTS)[number]['slug']
export const SEGMENT_SLUGS = SEGMENTS.map((s) => s.slug) as SegmentSlug[]

/** Rows R = 5 down to 1; columns F = 1 to 5. */
const GRID: Record<1 | 2 | 3 | 4 | 5, [SegmentSlug, SegmentSlug, SegmentSlug, SegmentSlug, SegmentSlug]> = {
  5: ['new_customers', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions'],
  4: ['promising', 'potential_loyalists', 'potential_loyalists', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  1: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
}

export type Score = 1 | 2 | 3 | 4 | 5

/** The segment of an R and an F score. */
export function segmentOf(r: Score, f: Score): SegmentSlug {
  return GRID[r][f - 1]!
}

/** The map as the SQL takes it: 25 slugs, the one of (r, f) at index (r − 1) × 5 + f − 1. */
export function segmentMapParam(): SegmentSlug[] {
  const scores: Score[] = [1, 2, 3, 4, 5]
  return scores.flatMap((r) => scores.map((f) => segmentOf(r, f)))
}

/**
 * The RFM score of a 1-based rank among n members ordered worse → better, where equal values
 * share the lowest rank among them: 1 + floor(5 × (rank − 1) / n). The SQL computes the same.
 */
export function quintileScore(rank: number, n: number): Score {
  return (1 + Math.floor((5 * (rank - 1)) / n)) as Score
}
