import { commitSwipes, type CommitContext, type PreparedSwipes, type SwipeOutcome } from './record-swipes'

export interface GroupCommitOptions {
  /** Posts written together at most. */
  maxPostsPerGroup: number
  /** Groups being written at once. */
  maxGroupsInFlight: number
}

export const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = { maxPostsPerGroup: 500, maxGroupsInFlight: 2 }

/**
 * Group commit for the tills' posts. Every commit waits for a WAL flush, which under load
 * costs milliseconds; so while groups are being written, posts arriving meanwhile queue and
 * are then written together, in one statement and one flush. An idle server writes a post at
 * once (no added wait); a busy one pays one flush per group instead of one per post. Each post
 * is answered only after its group committed, so a 2xx still means durable.
 */
export function createGroupCommit(ctx: CommitContext, options: GroupCommitOptions = GROUP_COMMIT_DEFAULTS) {
  const queue: { post: PreparedSwipes; resolve: (o: SwipeOutcome[]) => void; reject: (e: unknown) => void }[] = []
  let inFlight = 0

  function pump(): void {
    while (inFlight < options.maxGroupsInFlight && queue.length > 0) {
      const group = queue.splice(0, options.maxPostsPerGroup)
      inFlight++
      commitSwipes(ctx, group.map((g) => g.post))
        .then(
          (outcomes) => group.forEach((g, i) => g.resolve(outcomes[i]!)),
          (error) => group.forEach((g) => g.reject(error)),
        )
        .finally(() => {
          inFlight--
          pump()
        })
    }
  }

  return {
    /** Writes one post's prepared swipes with whatever else is waiting; its outcomes in order. */
    commit(post: PreparedSwipes): Promise<SwipeOutcome[]> {
      return new Promise((resolve, reject) => {
        queue.push({ post, resolve, reject })
        pump()
      })
    },
  }
}
export type GroupCommit = ReturnType<typeof createGroupCommit>
