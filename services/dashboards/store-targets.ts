import { AppError } from '../platform/http/errors'
import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import type { Target } from './dashboards.schemas'

/** A store's monthly sales targets as the API shows them: sales as text with 2 decimals. */
export interface StoreTargets {
  store_id: string
  store_name: string
  targets: { month: string; sales: string }[]
}

async function requireStore(pg: Postgres, storeId: string): Promise<{ id: string; name: string }> {
  const [store] = await pg.query<{ id: string; name: string }>(sql('postgres/queries/dashboards/find-store'), [storeId])
  if (!store) throw AppError.notFound(`no store ${storeId}`)
  return store
}

/** GET /v1/stores/:id/targets: every month with a target, oldest first. */
export async function readStoreTargets(pg: Postgres, storeId: string): Promise<StoreTargets> {
  const store = await requireStore(pg, storeId)
  const targets = await pg.query<{ month: string; sales: string }>(sql('postgres/queries/dashboards/list-store-targets'), [storeId])
  return { store_id: store.id, store_name: store.name, targets }
}

/** PUT /v1/stores/:id/targets: sets the months given in one statement, then reads them all back. */
export async function setStoreTargets(pg: Postgres, storeId: string, targets: Target[], staffUserId: string): Promise<StoreTargets> {
  await requireStore(pg, storeId)
  await pg.query(sql('postgres/queries/dashboards/upsert-store-targets'), [
    storeId,
    targets.map((t) => `${t.month}-01`),
    // Decimal text goes to numeric as is: exact, no float on the way.
    targets.map((t) => t.sales),
    staffUserId,
  ])
  return readStoreTargets(pg, storeId)
}
