/**
 * shipOnce, retried while it finds nothing to claim: journal rows wait for every transaction
 * running anywhere in the Postgres cluster (claim-batch.sql), and another test file's
 * transaction may be open just then. Resolves with the rows shipped (0 only after the
 * timeout); rejects as soon as a claimed batch fails, which is what crash tests wait for.
 */
export async function shipOnceClaimed(shipper: { shipOnce(): Promise<number> }, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const shipped = await shipper.shipOnce()
    if (shipped > 0 || Date.now() > deadline) return shipped
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
