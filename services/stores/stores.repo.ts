import type { Postgres } from '../platform/postgres'
import { sql } from '../platform/sql-loader'
import { issueKey, parseKey, publicId, secretMatches } from './api-keys'

export interface Store {
  id: string
  code: string
  name: string
  created_at: Date
}

/** What a verified till key may act as. */
export interface StorePrincipal {
  storeId: string
  keyId: string
  scopes: string[]
}

/** Stores and their till keys. Keys are shown once, at creation, and kept only as hashes. */
export function createStoresRepo(pg: Postgres) {
  return {
    async createStore(code: string, name: string): Promise<Store> {
      const [store] = await pg.query<Store>(sql('postgres/queries/stores/insert-store'), [publicId('sto'), code, name])
      return store!
    },

    async findByCode(code: string): Promise<Store | undefined> {
      const [store] = await pg.query<Store>(sql('postgres/queries/stores/find-store-by-code'), [code])
      return store
    },

    listStores: () => pg.query<Store & { live_keys: number }>(sql('postgres/queries/stores/list-stores')),

    /** Issues a key for the store; returns the full key, which is never stored. */
    async createKey(storeId: string): Promise<{ keyId: string; token: string }> {
      const key = issueKey()
      await pg.query(sql('postgres/queries/stores/insert-key'), [key.keyId, storeId, key.secretHash])
      return { keyId: key.keyId, token: key.token }
    },

    async revokeKey(keyId: string): Promise<boolean> {
      const rows = await pg.query(sql('postgres/queries/stores/revoke-key'), [keyId])
      return rows.length > 0
    },

    /** The store a presented key acts for, or null if the key is unknown, wrong or revoked. */
    async verifyKey(token: string): Promise<StorePrincipal | null> {
      const parts = parseKey(token)
      if (!parts) return null
      const [row] = await pg.query<{ id: string; store_id: string; secret_hash: string; scopes: string[]; revoked_at: Date | null }>(
        sql('postgres/queries/stores/find-key'),
        [parts.keyId],
      )
      if (!row || row.revoked_at || !secretMatches(parts.secret, row.secret_hash)) return null
      return { storeId: row.store_id, keyId: row.id, scopes: row.scopes }
    },
  }
}
export type StoresRepo = ReturnType<typeof createStoresRepo>
