-- Reserves ids for new ledger entries and lots, so lots and draws can name their entry in the
-- same round of inserts. $1 how many ledger ids, $2 how many lot ids.
SELECT (SELECT coalesce(array_agg(nextval(pg_get_serial_sequence('points_ledger', 'id'))::text), '{}') FROM generate_series(1, $1::int)) AS ledger_ids,
       (SELECT coalesce(array_agg(nextval(pg_get_serial_sequence('point_lots', 'id'))::text), '{}') FROM generate_series(1, $2::int)) AS lot_ids
