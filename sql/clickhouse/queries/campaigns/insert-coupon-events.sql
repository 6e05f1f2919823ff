-- Takes Postgres's COPY output (issued-events.sql) as the body. A re-copy collapses on the
-- table's key (campaign_id, event, code); readers read FINAL.
INSERT INTO coupon_events (campaign_id, event, code, member_id, at, store_id, txn_id, discount) FORMAT TabSeparated
