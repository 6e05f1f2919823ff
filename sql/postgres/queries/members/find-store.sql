-- Whether a store exists (a member's preferred store). $1 store id.
SELECT id FROM stores WHERE id = $1
